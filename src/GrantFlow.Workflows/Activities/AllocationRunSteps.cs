using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Activities;

/// <summary>
/// The work behind each activity of an allocation run. Every step is idempotent: run again after a crash it
/// rewrites nothing that is already stored and completes what is missing.
/// </summary>
public sealed class AllocationRunSteps(
    RunRepository runs,
    AllocationRepository allocations,
    DecisionRepository decisions,
    LedgerRepository ledger,
    NoticeOutbox outbox)
{
    public async Task<ComputeOutcome> ComputeAsync(RunReference run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var input = await runs.LoadInputAsync(run.RunId, cancellationToken);
        var result = GrantAllocator.Allocate(input.Parameters, input.Provinces);
        await allocations.SaveDraftAsync(run.RunId, result, cancellationToken);
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

    /// <summary>Builds the run's advance entries (province order, chained) and appends the ones not yet stored.</summary>
    public async Task<LedgerOutcome> WriteLedgerAsync(LedgerWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var record = await runs.FindAsync(write.RunId, cancellationToken) ?? throw new InvalidOperationException($"Run {write.RunId} does not exist.");
        var entries = LedgerChain.Link(await BuildEntriesAsync(record, write, cancellationToken));
        var written = await ledger.AppendAsync(write.RunId, entries, cancellationToken);
        var head = entries.Count > 0 ? entries[^1].Hash : LedgerChain.Genesis;
        await runs.UpdateAsync(write.RunId, r => r with { LedgerEntries = entries.Count, LedgerHeadHash = head }, cancellationToken);
        return new LedgerOutcome(entries.Count, written, entries.Sum(e => e.AmountYuan), head);
    }

    /// <summary>Records one notice per province in the outbox (with its ledger hash), then sends what is unsent.</summary>
    public async Task<int> SendNoticesAsync(NoticeDispatch dispatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        var record = await runs.FindAsync(dispatch.RunId, cancellationToken) ?? throw new InvalidOperationException($"Run {dispatch.RunId} does not exist.");
        var program = GrantProgramCatalog.Get(record.Program);
        var hashes = (await ledger.ReadRunAsync(dispatch.RunId, cancellationToken)).ToDictionary(e => e.ProvinceCode, e => e.Hash, StringComparer.Ordinal);
        var notices = (await allocations.LoadAsync(dispatch.RunId, cancellationToken))
            .Select(a => DisbursementNotice.Create(dispatch.RunId, record.FiscalYear, a, program, dispatch.IssuedAt, hashes[a.Code]))
            .ToList();
        await outbox.RecordAsync(dispatch.RunId, notices, cancellationToken);
        var sent = await outbox.DispatchAsync(dispatch.RunId, cancellationToken);
        await runs.UpdateAsync(dispatch.RunId, r => r with { NoticesSent = sent }, cancellationToken);
        return sent;
    }

    public async Task CompleteAsync(RunCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        await runs.UpdateAsync(
            completion.RunId,
            r => r with { Status = completion.Status, Reason = completion.Reason, StageTimings = completion.StageTimings, CompletedAt = completion.CompletedAt },
            cancellationToken);
    }

    private async Task<IEnumerable<LedgerEntry>> BuildEntriesAsync(RunRecord record, LedgerWrite write, CancellationToken cancellationToken)
    {
        var rows = await allocations.LoadAsync(write.RunId, cancellationToken);
        return rows.Select(a => new LedgerEntry
        {
            RunId = write.RunId,
            Sequence = 0,
            Program = record.Program,
            FiscalYear = record.FiscalYear,
            ProvinceCode = a.Code,
            Kind = LedgerEntryKinds.Advance,
            AmountYuan = a.AmountYuan,
            NoticeNumber = DisbursementNotice.NumberFor(write.RunId, record.Program, record.FiscalYear, a.Code),
            FormulaVersion = a.Explanation.FormulaVersion,
            ExplanationDigest = string.Create(
                CultureInfo.InvariantCulture,
                $"exact={a.Explanation.ExactShareFraction}; floor={a.Explanation.FloorYuan}; bound={a.Explanation.FloorBound}; down={a.Explanation.RoundedDownYuan}; adj={a.Explanation.RoundingAdjustmentYuan}"),
            Approvals = write.Approvals,
            RecordedAt = write.RecordedAt,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        });
    }
}
