using System.Globalization;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Ledger;

/// <summary>An auditor's ledger query. The fiscal year is required, so a query reads at most one index partition per program.</summary>
public sealed record LedgerQuery(int FiscalYear, string? Program = null, string? Province = null, string? RunId = null, string? Kind = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (FiscalYear is < RunInputValidator.MinFiscalYear or > RunInputValidator.MaxFiscalYear)
        {
            errors.Add(new("fiscalYear", null, $"a fiscal year between {RunInputValidator.MinFiscalYear} and {RunInputValidator.MaxFiscalYear} is required."));
        }

        if (Program is not null && !GrantProgramCatalog.TryGet(Program, out _))
        {
            errors.Add(new("program", null, $"unknown program '{Program}'."));
        }

        if (Province is not null && !ProvinceCodes.IsRecipient(Province))
        {
            errors.Add(new("province", null, $"unknown province code '{Province}'."));
        }

        if (Kind is not null && Kind is not (LedgerEntryKinds.Advance or LedgerEntryKinds.SettlementTopUp or LedgerEntryKinds.SettlementRecovery or LedgerEntryKinds.Reversal))
        {
            errors.Add(new("kind", null, $"unknown kind '{Kind}'."));
        }

        if (From is { } from && To is { } to && to <= from)
        {
            errors.Add(new("to", null, "'to' must be after 'from'."));
        }

        return errors;
    }
}

/// <summary>A page of entries and the token for the next page (null on the last).</summary>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken);

/// <summary>Totals of a query by fiscal year, program, province and kind.</summary>
public sealed record LedgerTotal(int FiscalYear, string Program, string ProvinceCode, string Kind, int Entries, long AmountYuan)
{
    public decimal AmountWanYuan => AmountYuan / 10_000m;
}

/// <summary>Reads the ledger for auditors: pages with continuation tokens, totals. Never writes.</summary>
public sealed class LedgerQueryService(GrantFlowTables storage)
{
    public const int MaxPageSize = 1000;

    public async Task<LedgerPage> PageAsync(LedgerQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await storage.EnsureCreatedAsync(cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var partitions = Partitions(query);
        var (index, token) = ParseToken(continuationToken);
        if (index >= partitions.Count)
        {
            return new LedgerPage([], null);
        }

        var (table, filter) = Source(query, partitions[index]);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(token, pageSize))
        {
            var entries = page.Values.Select(e => query.RunId is not null ? LedgerRepository.FromStoredEntity(e) : LedgerRepository.FromIndexEntity(e)).ToList();
            var next = page.ContinuationToken is { Length: > 0 } more
                ? $"{index}|{more}"
                : index + 1 < partitions.Count ? $"{index + 1}|" : null;
            return new LedgerPage(entries, next);
        }

        return new LedgerPage([], index + 1 < partitions.Count ? $"{index + 1}|" : null);
    }

    public async IAsyncEnumerable<LedgerEntry> AllAsync(LedgerQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await PageAsync(query, MaxPageSize, token, cancellationToken);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    public async Task<IReadOnlyList<LedgerTotal>> TotalsAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        var totals = new Dictionary<(int, string, string, string), (int Count, long Amount)>();
        await foreach (var e in AllAsync(query, cancellationToken))
        {
            var key = (e.FiscalYear, e.Program, e.ProvinceCode, e.Kind);
            var current = totals.GetValueOrDefault(key);
            totals[key] = (current.Count + 1, current.Amount + e.AmountYuan);
        }

        return totals
            .Select(t => new LedgerTotal(t.Key.Item1, t.Key.Item2, t.Key.Item3, t.Key.Item4, t.Value.Count, t.Value.Amount))
            .OrderBy(t => t.Program, StringComparer.Ordinal).ThenBy(t => t.ProvinceCode, StringComparer.Ordinal).ThenBy(t => t.Kind, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Index partitions to read: one per program (or the run's own partition of the ledger).</summary>
    private static List<string> Partitions(LedgerQuery query) =>
        query.RunId is { } runId
            ? [runId]
            : (query.Program is { } program ? new[] { program } : GrantProgramCatalog.All.Select(p => p.Id).Order(StringComparer.Ordinal).ToArray())
                .Select(p => LedgerRepository.IndexPartition(query.FiscalYear, p)).ToList();

    private (TableClient Table, string Filter) Source(LedgerQuery query, string partition)
    {
        var table = query.RunId is null ? storage.LedgerIndex : storage.Ledger;
        var clauses = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (query.RunId is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"FiscalYear eq {query.FiscalYear}"));
            if (query.Province is { } province)
            {
                clauses.Add(TableClient.CreateQueryFilter($"ProvinceCode eq {province}"));
            }

            if (query.Program is { } program)
            {
                clauses.Add(TableClient.CreateQueryFilter($"Program eq {program}"));
            }
        }
        else if (query.Province is { } province)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey ge {province + "-"} and RowKey lt {province + "."}"));
        }

        if (query.Kind is { } kind)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Kind eq {kind}"));
        }

        if (query.From is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RecordedAt ge {Iso(from)}"));
        }

        if (query.To is { } to)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RecordedAt lt {Iso(to)}"));
        }

        return (table, string.Join(" and ", clauses));
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static (int Index, string? Token) ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        var bar = token.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && int.TryParse(token[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (index, token[(bar + 1)..] is { Length: > 0 } rest ? rest : null)
            : throw new ArgumentException("The continuation token is not one this service issued.", nameof(token));
    }
}
