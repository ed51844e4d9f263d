using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// The work behind each activity of an allocation run. Every step is idempotent: run again after a crash it
/// rewrites nothing that is already stored and completes what is missing.
/// </summary>
public sealed partial class AllocationRunSteps(
    RunRepository runs,
    AllocationRepository allocations,
    DecisionRepository decisions,
    LedgerRepository ledger,
    NoticeOutbox outbox,
    LedgerQueryService queries,
    LedgerAnchorStore anchors,
    TimeProvider time,
    OpenNotices openNotices,
    RunLedgerEntries runEntries,
    Microsoft.Extensions.Logging.ILogger<AllocationRunSteps> logger)
{
    /// <summary>A correction's draft: the province's row of the original run with the corrected amount.</summary>
    private async Task<ComputeOutcome> ComputeCorrectionAsync(RunRecord record, CancellationToken cancellationToken)
    {
        var request = CorrectionRequests.Parse(await runs.LoadParametersAsync(record.RunId, cancellationToken));
        var original = (await allocations.LoadAsync(request.CorrectsRunId, cancellationToken)).Single(a => a.Code == request.ProvinceCode);
        await allocations.SaveCorrectionDraftAsync(record.RunId, original with { AmountYuan = request.AmountYuan }, cancellationToken);
        await runs.UpdateAsync(record.RunId, r => r with { TotalYuan = request.AmountYuan, ProvinceCount = 1 }, cancellationToken);
        return new ComputeOutcome(request.AmountYuan, 1, 0);
    }

    /// <summary>Net amount each province holds for a program and year: advances plus top-ups minus recoveries.</summary>
    public async Task<IReadOnlyDictionary<string, long>> AdvancedAsync(int fiscalYear, string program, CancellationToken cancellationToken = default)
    {
        var net = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var total in await queries.TotalsAsync(new LedgerQuery(fiscalYear, program), cancellationToken))
        {
            net[total.ProvinceCode] = net.GetValueOrDefault(total.ProvinceCode) + total.NetYuan;
        }

        return net;
    }

    public async Task<ComputeOutcome> ComputeAsync(RunReference run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var span = Telemetry.GrantFlowTelemetry.StartStep("compute allocation", run.RunId);
        var record = await runs.FindAsync(run.RunId, cancellationToken) ?? throw new InvalidOperationException($"Run {run.RunId} does not exist.");
        if (record.Kind == RunKinds.Correction)
        {
            return await ComputeCorrectionAsync(record, cancellationToken);
        }

        var input = await runs.LoadInputAsync(run.RunId, cancellationToken);
        var result = GrantAllocator.Allocate(input.Parameters, input.Provinces);
        var advanced = record.Kind == RunKinds.Settlement
            ? await AdvancedAsync(record.FiscalYear, record.Program, cancellationToken)
            : null;
        await allocations.SaveDraftAsync(run.RunId, result, advanced, cancellationToken);
        await runs.UpdateAsync(run.RunId, r => r with { TotalYuan = result.TotalYuan, ProvinceCount = result.Provinces.Count }, cancellationToken);
        return new ComputeOutcome(result.TotalYuan, result.Provinces.Count, result.FloorBoundCount);
    }

    public Task<ApprovalDecision?> FindDecisionAsync(DecisionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return decisions.FindAsync(query.RunId, query.Stage, cancellationToken);
    }

    public async Task SetStatusAsync(StageChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await runs.UpdateAsync(change.RunId, r => r with { Status = change.Status, Reason = change.Reason ?? r.Reason }, cancellationToken);
    }

    /// <summary>Enters an approval stage: writes the run's status, then reads the stage's decision if it was recorded already.</summary>
    public async Task<ApprovalDecision?> EnterStageAsync(StageEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await runs.UpdateAsync(entry.RunId, r => r with { Status = entry.Status }, cancellationToken);
        return await decisions.FindAsync(entry.RunId, entry.Stage, cancellationToken);
    }

    /// <summary>
    /// Why the approvals a run carries to its ledger step are not the ones in the decisions table (null: they are):
    /// every stage approved, by the person named. The orchestration may act on a decision's signal without reading the
    /// table; nothing is written on the strength of a signal the table does not back.
    /// </summary>
    private async Task<string?> UnbackedApprovalsAsync(LedgerWrite write, CancellationToken cancellationToken)
    {
        var carried = write.Approvals.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split(':', 2)).Where(a => a.Length == 2).ToDictionary(a => a[0], a => a[1], StringComparer.Ordinal);
        foreach (var stage in Domain.Approvals.ApprovalStages.InOrder)
        {
            var recorded = await decisions.FindAsync(write.RunId, stage, cancellationToken);
            if (recorded is not { Approved: true } || !carried.TryGetValue(stage, out var by) || by != recorded.DecidedBy)
            {
                return $"the {stage} approval the run carries ({(carried.TryGetValue(stage, out var c) ? c : "none")}) is not the one recorded ({(recorded is null ? "none" : $"{(recorded.Approved ? "approved" : "rejected")} by {recorded.DecidedBy}")}); nothing was written.";
            }
        }

        return null;
    }

    /// <summary>Builds the run's advance entries (province order, chained) and appends the ones not yet stored.</summary>
    public async Task<LedgerOutcome> WriteLedgerAsync(LedgerWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var span = Telemetry.GrantFlowTelemetry.StartStep("write ledger", write.RunId);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (await UnbackedApprovalsAsync(write, cancellationToken) is { } refusal)
        {
            return new LedgerOutcome(0, 0, 0, LedgerChain.Genesis, refusal);
        }

        await runs.UpdateAsync(write.RunId, r => r.LedgerRecordedAt is null ? r with { LedgerRecordedAt = write.RecordedAt } : r, cancellationToken);
        var record = await runs.FindAsync(write.RunId, cancellationToken) ?? throw new InvalidOperationException($"Run {write.RunId} does not exist.");
        write = write with { RecordedAt = record.LedgerRecordedAt ?? write.RecordedAt }; // the first attempt's time: same entries, same hashes
        var entries = LedgerChain.Link(await runEntries.BuildAsync(record, write, cancellationToken));

        // Everything that can refuse the entries is checked before the first one is stored: a run whose ledger step
        // fails for good leaves no entries behind.
        var total = CheckedTotal(record, entries);
        var head = entries.Count > 0 ? entries[^1].Hash : LedgerChain.Genesis;
        var root = Domain.Receipts.NoticeReceipt.RootOf(Domain.Receipts.NoticeReceipt.LeavesOf(entries));
        var written = await ledger.AppendAsync(write.RunId, entries, cancellationToken);
        await runs.UpdateAsync(write.RunId, r => r with { LedgerEntries = entries.Count, LedgerHeadHash = head, ReceiptRoot = root, LedgerSeconds = r.LedgerSeconds ?? watch.Elapsed.TotalSeconds }, cancellationToken);
        // The external anchor: written once to immutable storage, so a consistent rewrite of the run shows.
        await anchors.WriteAsync(
            new ExternalLedgerAnchor(record.RunId, record.Kind, record.Program, record.FiscalYear, entries.Count, head, total, RunKinds.SplitsEnvelope(record.Kind) ? record.EnvelopeYuan : null, time.GetUtcNow(), root),
            cancellationToken);
        return new LedgerOutcome(entries.Count, written, total, head);
    }

    /// <summary>
    /// The entries' total, refusing (before anything is written) an entry outside 0 to
    /// <see cref="Domain.Validation.RunInputValidator.MaxAmountYuan"/> or a total no <see cref="long"/> holds.
    /// </summary>
    internal static long CheckedTotal(RunRecord record, IReadOnlyList<LedgerEntry> entries)
    {
        Int128 total = 0;
        foreach (var entry in entries)
        {
            if (entry.AmountYuan is < 0 or > Domain.Validation.RunInputValidator.MaxAmountYuan)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"run {record.RunId}: the {entry.Kind} entry of {entry.ProvinceCode} would be {entry.AmountYuan:N0} yuan, outside 0 to {Domain.Validation.RunInputValidator.MaxAmountYuan:N0}; nothing was written."));
            }

            total += entry.AmountYuan;
        }

        return total <= long.MaxValue ? (long)total : throw new InvalidOperationException($"run {record.RunId}: its entries add up to {total} yuan; nothing was written.");
    }

    /// <summary>Records one notice per province in the outbox (with its ledger hash), then sends what is unsent.</summary>
    public async Task<int> SendNoticesAsync(NoticeDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        using var span = Telemetry.GrantFlowTelemetry.StartStep("send notices", dispatch.RunId);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await runs.UpdateAsync(dispatch.RunId, r => r.NoticesIssuedAt is null ? r with { NoticesIssuedAt = dispatch.IssuedAt } : r, cancellationToken);
        var record = await runs.FindAsync(dispatch.RunId, cancellationToken) ?? throw new InvalidOperationException($"Run {dispatch.RunId} does not exist.");
        dispatch = dispatch with { IssuedAt = record.NoticesIssuedAt ?? dispatch.IssuedAt }; // the first attempt's time
        var program = GrantProgramCatalog.Get(record.Program);
        var stored = await ledger.ReadRunAsync(dispatch.RunId, cancellationToken);
        var receipts = Domain.Receipts.NoticeReceipt.ForRun(Domain.Receipts.NoticeReceipt.LeavesOf(stored));
        var entries = stored
            .Where(e => e.Kind != LedgerEntryKinds.Reversal)
            .ToDictionary(e => e.ProvinceCode, StringComparer.Ordinal);
        var notices = (await allocations.LoadAsync(dispatch.RunId, cancellationToken))
            .Where(a => entries.ContainsKey(a.Code))
            .Select(a => NoticeInstructions.WithInstruction(
                DisbursementNotice.Create(dispatch.RunId, record.FiscalYear, a with { AmountYuan = entries[a.Code].AmountYuan }, program, dispatch.IssuedAt, entries[a.Code].Hash) with
                {
                    ChainHeadHash = record.LedgerHeadHash,
                    Kind = entries[a.Code].Kind,
                    Receipt = receipts[entries[a.Code].Sequence],
                },
                entries[a.Code]))
            .ToList();
        await outbox.RecordAsync(dispatch.RunId, notices, cancellationToken);
        var sent = await outbox.DispatchAsync(dispatch.RunId, cancellationToken: cancellationToken);
        await openNotices.FollowSentAsync(sent, cancellationToken); // chased until acknowledged, followed until passed down
        await runs.UpdateAsync(dispatch.RunId, r => r with { NoticesSent = sent.Count, NoticesSeconds = r.NoticesSeconds ?? watch.Elapsed.TotalSeconds }, cancellationToken);
        return sent.Count;
    }

    public async Task CompleteAsync(RunCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        using var span = Telemetry.GrantFlowTelemetry.StartStep("complete run", completion.RunId);
        span?.SetTag("grantflow.status", completion.Status);

        // Entries stored by a ledger step that then failed for good count as released: the run says so and keeps its
        // claim (verification reports the entries against the run; nothing may release the same money again).
        var stored = completion.Status == RunStatuses.Failed ? (await ledger.ReadRunAsync(completion.RunId, cancellationToken)).Count : 0;
        var reason = stored > 0
            ? $"{completion.Reason} ({stored} ledger entries were stored before the failure; the run keeps its claim: verify the ledger before anything else is released)"
            : completion.Reason;
        var ended = false;
        var kind = string.Empty;
        await runs.UpdateAsync(
            completion.RunId,
            r =>
            {
                ended = !RunStatuses.IsTerminal(r.Status);
                kind = r.Kind;
                return r with { Status = completion.Status, Reason = reason, StageTimings = completion.StageTimings, CompletedAt = completion.CompletedAt, PublicationFailure = r.PublishedAt is null ? completion.PublicationFailure ?? r.PublicationFailure : null };
            },
            cancellationToken);
        if (ended)
        {
            Telemetry.GrantFlowTelemetry.RunsEnded.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", completion.Status));
            if (completion.Status == RunStatuses.Completed)
            {
                LogRunCompleted(logger, completion.RunId, kind);
            }
            else
            {
                LogRunEndedUnreleased(logger, completion.RunId, kind, completion.Status, reason ?? string.Empty);
            }
        }

        if (completion.Status == RunStatuses.Completed && await runs.FindAsync(completion.RunId, cancellationToken) is { Kind: RunKinds.PassDown, Owner: { } owner, PassesDownNotice: { } notice, Status: RunStatuses.Completed })
        {
            await openNotices.PassedDownAsync(owner, notice, cancellationToken); // the deadline is met
        }

        // A run that ended releasing nothing frees what it claimed, so a new run may follow it. Only when the record
        // ended this way (a late or repeated report of another ending changes nothing), and only the claims it holds.
        var record = await runs.FindAsync(completion.RunId, cancellationToken);
        if (stored == 0 && record is not null && record.Status == completion.Status && record.Status is RunStatuses.Rejected or RunStatuses.Expired or RunStatuses.Failed && record.LedgerEntries is null or 0)
        {
            foreach (var claim in RunService.ClaimsOf(record, await runs.LoadParametersAsync(record.RunId, cancellationToken)))
            {
                await runs.ReleaseClaimAsync(claim, record.RunId, cancellationToken);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Run {RunId} ({Kind}) completed")]
    private static partial void LogRunCompleted(Microsoft.Extensions.Logging.ILogger logger, string runId, string kind);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Run {RunId} ({Kind}) ended {Status}: {Reason}")]
    private static partial void LogRunEndedUnreleased(Microsoft.Extensions.Logging.ILogger logger, string runId, string kind, string status, string reason);
}
