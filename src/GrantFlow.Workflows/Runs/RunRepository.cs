using System.Text;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Storage;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>Run records (table) and run inputs (blobs): what was asked, by whom, and where the run stands.</summary>
public sealed partial class RunRepository(GrantFlowTables storage) : Ledger.IRunRecords
{
    private const string RowKey = "run";

    /// <summary>The index every listing, guard and sweep reads instead of the runs table.</summary>
    public RunIndex Index { get; } = new(storage);

    /// <summary>Stores the run's input documents and its record. Inputs first, so a record never lacks its input.</summary>
    public async Task CreateAsync(RunRecord run, string parametersJson, string provincesCsv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await storage.EnsureCreatedAsync(cancellationToken);
        await storage.Inputs.GetBlobClient($"{run.RunId}/params.json").UploadAsync(BinaryData.FromString(parametersJson), overwrite: true, cancellationToken);
        await storage.Inputs.GetBlobClient($"{run.RunId}/provinces.csv").UploadAsync(BinaryData.FromString(provincesCsv), overwrite: true, cancellationToken);
        await Index.AddAsync(run, cancellationToken); // before the record: a stored run is always found by its index
        try
        {
            await storage.Runs.AddEntityAsync(ToEntity(run), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Stored by an earlier attempt whose answer was lost (the run id is the key): the record stands as it is.
        }
    }

    public async Task<RunInput> LoadInputAsync(string runId, CancellationToken cancellationToken = default)
    {
        var parameters = await storage.Inputs.GetBlobClient($"{runId}/params.json").DownloadContentAsync(cancellationToken);
        var provinces = await storage.Inputs.GetBlobClient($"{runId}/provinces.csv").DownloadContentAsync(cancellationToken);
        using var reader = new StringReader(Encoding.UTF8.GetString(provinces.Value.Content.ToMemory().Span));
        var record = await FindAsync(runId, cancellationToken);
        return RunInput.Parse(parameters.Value.Content.ToString(), reader, record?.Recipients ?? RecipientLevel.Province);
    }

    public async Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var response = await storage.Runs.GetEntityIfExistsAsync<TableEntity>(runId, RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>The run's parameters document as stored.</summary>
    public async Task<string> LoadParametersAsync(string runId, CancellationToken cancellationToken = default) =>
        (await storage.Inputs.GetBlobClient($"{runId}/params.json").DownloadContentAsync(cancellationToken)).Value.Content.ToString();

    private bool _backfilled;

    /// <summary>
    /// Imports finished runs of an earlier history (another system's, or a benchmark's): their records and index
    /// rows, the index in transactions per partition. Upserts: importing again writes the same rows. Their input
    /// documents are not imported (what was asked lives in the system they came from).
    /// </summary>
    public async Task ImportAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        await storage.EnsureCreatedAsync(cancellationToken);
        var rows = runs.SelectMany(r => RunIndex.PartitionsOf(r).Select(p => RunIndex.Row(p, r))).GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(TableBatches.MaxTransactionSize));
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (chunk, token) =>
            await storage.RunIndex.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (run, token) =>
            await storage.Runs.UpsertEntityAsync(ToEntity(run), TableUpdateMode.Replace, token));
    }

    /// <summary>
    /// Files the runs stored before the index existed (once per account: a marker row says it was done; the one read
    /// of the whole runs table GrantFlow makes, on the first recovery sweep after an upgrade).
    /// </summary>
    public async Task BackfillIndexAsync(CancellationToken cancellationToken = default)
    {
        if (_backfilled)
        {
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken);
        if (!(await storage.RunIndex.GetEntityIfExistsAsync<TableEntity>("meta", "backfilled", cancellationToken: cancellationToken)).HasValue)
        {
            await foreach (var entity in storage.Runs.QueryAsync<TableEntity>(e => e.RowKey == RowKey, cancellationToken: cancellationToken))
            {
                await Index.AddAsync(FromEntity(entity), cancellationToken);
            }

            await storage.RunIndex.UpsertEntityAsync(new TableEntity("meta", "backfilled"), TableUpdateMode.Replace, cancellationToken);
        }

        _backfilled = true;
    }

    /// <summary>The records of the given runs, read by key a few at once, in the order given; runs without a record are left out.</summary>
    public async Task<IReadOnlyList<RunRecord>> FindManyAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var found = new RunRecord?[runIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, runIds.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => found[i] = await FindAsync(runIds[i], token));
        return [.. found.OfType<RunRecord>()];
    }

    /// <summary>The runs of one program and year (optionally of one kind), oldest first: one index partition, however long the history.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListOfYearAsync(string program, int fiscalYear, string? kind, CancellationToken cancellationToken = default)
    {
        var rows = await Index.ReadAllAsync(RunIndex.ProgramYear(program, fiscalYear), kind is null ? null : TableClient.CreateQueryFilter($"Kind eq {kind}"), cancellationToken);
        return [.. (await FindManyAsync([.. rows.Select(r => r.GetString("RunId"))], cancellationToken)).Reverse()];
    }

    /// <summary>The runs not in an end state (the open runs' partition, read whole: it holds what is under way, not the history).</summary>
    public async Task<IReadOnlyList<(RunRecord? Record, string Key)>> ListOpenAsync(CancellationToken cancellationToken = default)
    {
        var rows = await Index.ReadAllAsync(RunIndex.OpenRuns, null, cancellationToken);
        var records = new RunRecord?[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) => records[i] = await FindAsync(rows[i].GetString("RunId"), token));
        return [.. rows.Select((r, i) => (records[i], r.RowKey))];
    }

    /// <summary>The runs of a fiscal year (or every run), from the index.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(int? fiscalYear, CancellationToken cancellationToken = default)
    {
        var rows = await Index.ReadAllAsync(fiscalYear is { } year ? RunIndex.Year(year) : RunIndex.AllRuns, null, cancellationToken);
        return await FindManyAsync([.. rows.Select(r => r.GetString("RunId"))], cancellationToken);
    }

    /// <summary>
    /// Changes the run's record, conditionally and forward only: the write carries the ETag of what was read (a
    /// concurrent change makes it re-read and re-apply), a status never moves back to an earlier stage, and a run in
    /// an end state never changes again. So an activity that runs late or twice (at-least-once delivery) cannot roll a
    /// finished run back. Returns false when the change was not applied because the run had already moved on.
    /// </summary>
    public async Task<bool> UpdateAsync(string runId, Func<RunRecord, RunRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await storage.EnsureCreatedAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.Runs.GetEntityIfExistsAsync<TableEntity>(runId, RowKey, cancellationToken: cancellationToken);
            if (!stored.HasValue)
            {
                throw new InvalidOperationException($"Run {runId} does not exist.");
            }

            var current = FromEntity(stored.Value!);
            if (RunStatuses.IsTerminal(current.Status))
            {
                return false;
            }

            var next = change(current);
            if (RunStatuses.Rank(next.Status) < RunStatuses.Rank(current.Status))
            {
                return false; // a late repeat of an earlier stage
            }

            if (next == current)
            {
                return true;
            }

            try
            {
                await storage.Runs.UpdateEntityAsync(ToEntity(next), stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                if (RunStatuses.IsTerminal(next.Status))
                {
                    await Index.CloseAsync(next, cancellationToken); // a crash before this leaves a row the sweep removes
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 20)
            {
                // changed since we read it: read again and re-apply
            }
        }
    }

    private static TableEntity ToEntity(RunRecord r) => new(r.RunId, RowKey)
    {
        [nameof(RunRecord.Kind)] = r.Kind,
        [nameof(RunRecord.Program)] = r.Program,
        [nameof(RunRecord.FiscalYear)] = r.FiscalYear,
        [nameof(RunRecord.EnvelopeYuan)] = r.EnvelopeYuan,
        [nameof(RunRecord.StartedBy)] = r.StartedBy,
        [nameof(RunRecord.StartedAt)] = r.StartedAt,
        [nameof(RunRecord.Status)] = r.Status,
        [nameof(RunRecord.Reason)] = r.Reason,
        [nameof(RunRecord.TotalYuan)] = r.TotalYuan,
        [nameof(RunRecord.ProvinceCount)] = r.ProvinceCount,
        [nameof(RunRecord.LedgerEntries)] = r.LedgerEntries,
        [nameof(RunRecord.LedgerHeadHash)] = r.LedgerHeadHash,
        [nameof(RunRecord.NoticesSent)] = r.NoticesSent,
        [nameof(RunRecord.CompletedAt)] = r.CompletedAt,
        [nameof(RunRecord.StageTimings)] = r.StageTimings,
        [nameof(RunRecord.Recipients)] = r.Recipients.ToString(),
        [nameof(RunRecord.ApprovalTimeout)] = r.ApprovalTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        [nameof(RunRecord.DecisionRecheck)] = r.DecisionRecheck.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        [nameof(RunRecord.Owner)] = r.Owner,
        [nameof(RunRecord.PassesDownNotice)] = r.PassesDownNotice,
        [nameof(RunRecord.PassesDown)] = r.PassesDown,
        [nameof(RunRecord.RetentionYuan)] = r.RetentionYuan,
        [nameof(RunRecord.RetentionShare)] = r.RetentionShare?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [nameof(RunRecord.LedgerRecordedAt)] = r.LedgerRecordedAt,
        [nameof(RunRecord.NoticesIssuedAt)] = r.NoticesIssuedAt,
        [nameof(RunRecord.LedgerSeconds)] = r.LedgerSeconds,
        [nameof(RunRecord.NoticesSeconds)] = r.NoticesSeconds,
        [nameof(RunRecord.PlanVersion)] = r.PlanVersion,
        [nameof(RunRecord.ExpectedYuan)] = r.ExpectedYuan,
        [nameof(RunRecord.TransferKind)] = r.TransferKind,
        [nameof(RunRecord.AdvancePercent)] = r.AdvancePercent,
        [nameof(RunRecord.MinimumPercent)] = r.MinimumPercent,
        [nameof(RunRecord.AdvanceException)] = r.AdvanceException,
        [nameof(RunRecord.ReceiptRoot)] = r.ReceiptRoot,
        [nameof(RunRecord.PublishedAt)] = r.PublishedAt,
        [nameof(RunRecord.PublicationFailure)] = r.PublicationFailure,
    };

    private static RunRecord FromEntity(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        Kind = e.GetString(nameof(RunRecord.Kind)) ?? RunKinds.Advance,
        Program = e.GetString(nameof(RunRecord.Program)),
        FiscalYear = e.GetInt32(nameof(RunRecord.FiscalYear)) ?? 0,
        EnvelopeYuan = e.GetInt64(nameof(RunRecord.EnvelopeYuan)) ?? 0,
        StartedBy = e.GetString(nameof(RunRecord.StartedBy)),
        StartedAt = e.GetDateTimeOffset(nameof(RunRecord.StartedAt)) ?? DateTimeOffset.MinValue,
        Status = e.GetString(nameof(RunRecord.Status)),
        Reason = e.GetString(nameof(RunRecord.Reason)),
        TotalYuan = e.GetInt64(nameof(RunRecord.TotalYuan)),
        ProvinceCount = e.GetInt32(nameof(RunRecord.ProvinceCount)),
        LedgerEntries = e.GetInt32(nameof(RunRecord.LedgerEntries)),
        LedgerHeadHash = e.GetString(nameof(RunRecord.LedgerHeadHash)),
        NoticesSent = e.GetInt32(nameof(RunRecord.NoticesSent)),
        CompletedAt = e.GetDateTimeOffset(nameof(RunRecord.CompletedAt)),
        StageTimings = e.GetString(nameof(RunRecord.StageTimings)),
        Recipients = Enum.TryParse<RecipientLevel>(e.GetString(nameof(RunRecord.Recipients)), out var level) ? level : RecipientLevel.Province,
        ApprovalTimeout = TimeSpan.TryParse(e.GetString(nameof(RunRecord.ApprovalTimeout)), System.Globalization.CultureInfo.InvariantCulture, out var timeout) ? timeout : TimeSpan.FromDays(7),
        DecisionRecheck = TimeSpan.TryParse(e.GetString(nameof(RunRecord.DecisionRecheck)), System.Globalization.CultureInfo.InvariantCulture, out var recheck) ? recheck : TimeSpan.FromMinutes(1),
        Owner = e.GetString(nameof(RunRecord.Owner)),
        PassesDownNotice = e.GetString(nameof(RunRecord.PassesDownNotice)),
        PassesDown = e.GetString(nameof(RunRecord.PassesDown)),
        RetentionYuan = e.GetInt64(nameof(RunRecord.RetentionYuan)),
        LedgerRecordedAt = e.GetDateTimeOffset(nameof(RunRecord.LedgerRecordedAt)),
        NoticesIssuedAt = e.GetDateTimeOffset(nameof(RunRecord.NoticesIssuedAt)),
        LedgerSeconds = e.GetDouble(nameof(RunRecord.LedgerSeconds)),
        NoticesSeconds = e.GetDouble(nameof(RunRecord.NoticesSeconds)),
        PlanVersion = e.GetInt32(nameof(RunRecord.PlanVersion)),
        ExpectedYuan = e.GetInt64(nameof(RunRecord.ExpectedYuan)),
        TransferKind = e.GetString(nameof(RunRecord.TransferKind)),
        AdvancePercent = e.GetString(nameof(RunRecord.AdvancePercent)),
        MinimumPercent = e.GetInt32(nameof(RunRecord.MinimumPercent)),
        AdvanceException = e.GetString(nameof(RunRecord.AdvanceException)),
        ReceiptRoot = e.GetString(nameof(RunRecord.ReceiptRoot)),
        PublishedAt = e.GetDateTimeOffset(nameof(RunRecord.PublishedAt)),
        PublicationFailure = e.GetString(nameof(RunRecord.PublicationFailure)),
        RetentionShare = decimal.TryParse(e.GetString(nameof(RunRecord.RetentionShare)), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var share) ? share : null,
    };
}
