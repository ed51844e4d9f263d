using System.Globalization;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Ledger;

/// <summary>
/// The append-only ledger. Stream = run: partition key = run id, row key = zero-padded sequence, so a run's entries
/// go in entity-group transactions of at most 100 and a retried write only adds what is missing. No method updates
/// or deletes an entry. A query index (partition "{fiscal year}-{program}", row "{province}-{run id}-{sequence}")
/// holds a copy of each entry so auditors query a year, program or province without scanning the table; the
/// ledger itself, not the index, is what verification checks.
/// </summary>
public sealed class LedgerRepository(GrantFlowTables storage)
{
    public static string RowKeyFor(int sequence) => sequence.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Appends the run's linked entries; returns how many were new.</summary>
    public async Task<int> AppendAsync(string runId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await storage.EnsureCreatedAsync(cancellationToken);
        var written = await TableBatches.InsertMissingAsync(storage.Ledger, runId, entries.Select(ToEntity).ToList(), cancellationToken);
        foreach (var stream in entries.GroupBy(IndexPartition))
        {
            await TableBatches.InsertMissingAsync(storage.LedgerIndex, stream.Key, stream.Select(ToIndexEntity).ToList(), cancellationToken);
        }

        return written;
    }

    public static string IndexPartition(LedgerEntry entry) => IndexPartition(entry.FiscalYear, entry.Program);

    public static string IndexPartition(int fiscalYear, string program) => string.Create(CultureInfo.InvariantCulture, $"{fiscalYear}-{program}");

    private static TableEntity ToIndexEntity(LedgerEntry e)
    {
        var entity = ToEntity(e);
        entity.PartitionKey = IndexPartition(e);
        entity.RowKey = $"{e.ProvinceCode}-{e.RunId}-{RowKeyFor(e.Sequence)}";
        entity["RunId"] = e.RunId;
        entity["Sequence"] = e.Sequence;
        return entity;
    }

    /// <summary>Reads an index row back into the entry it copies.</summary>
    internal static LedgerEntry FromIndexEntity(TableEntity e)
    {
        var copy = new TableEntity(e) { PartitionKey = e.GetString("RunId"), RowKey = RowKeyFor(e.GetInt32("Sequence") ?? 0) };
        return FromEntity(copy);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var entries = new List<LedgerEntry>();
        await foreach (var e in storage.Ledger.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            entries.Add(FromEntity(e));
        }

        return entries;
    }

    /// <summary>The run's rows exactly as stored (row key and content), for verification.</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> ReadStoredAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var rows = new List<StoredLedgerEntry>();
        await foreach (var e in storage.Ledger.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            rows.Add(new StoredLedgerEntry(e.RowKey, FromEntity(e)));
        }

        return rows;
    }

    private static TableEntity ToEntity(LedgerEntry e) => new(e.RunId, RowKeyFor(e.Sequence))
    {
        ["Program"] = e.Program,
        ["FiscalYear"] = e.FiscalYear,
        ["ProvinceCode"] = e.ProvinceCode,
        ["Kind"] = e.Kind,
        ["AmountYuan"] = e.AmountYuan,
        ["NoticeNumber"] = e.NoticeNumber,
        ["FormulaVersion"] = e.FormulaVersion,
        ["ExplanationDigest"] = e.ExplanationDigest,
        ["Approvals"] = e.Approvals,
        ["RecordedAt"] = e.RecordedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["PreviousHash"] = e.PreviousHash,
        ["Hash"] = e.Hash,
        ["Corrects"] = e.Corrects,
        ["Reason"] = e.Reason,
        ["PassesDown"] = e.PassesDown,
    };

    internal static LedgerEntry FromStoredEntity(TableEntity e) => FromEntity(e);

    private static LedgerEntry FromEntity(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        Sequence = int.TryParse(e.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : -1,
        Program = e.GetString("Program"),
        FiscalYear = e.GetInt32("FiscalYear") ?? 0,
        ProvinceCode = e.GetString("ProvinceCode"),
        Kind = e.GetString("Kind"),
        AmountYuan = e.GetInt64("AmountYuan") ?? 0,
        NoticeNumber = e.GetString("NoticeNumber"),
        FormulaVersion = e.GetString("FormulaVersion"),
        ExplanationDigest = e.GetString("ExplanationDigest"),
        Approvals = e.GetString("Approvals"),
        RecordedAt = DateTimeOffset.TryParse(e.GetString("RecordedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : DateTimeOffset.MinValue,
        PreviousHash = e.GetString("PreviousHash"),
        Hash = e.GetString("Hash"),
        Corrects = e.GetString("Corrects"),
        Reason = e.GetString("Reason"),
        PassesDown = e.GetString("PassesDown"),
    };
}
