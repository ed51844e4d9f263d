using System.Globalization;
using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Activities;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask;

namespace GrantFlow.Workflows.Orchestrations;

/// <summary>What starts a run: the run id (its input is already stored) and how long each approval stage may wait.</summary>
/// <remarks>
/// <see cref="DecisionRecheckInterval"/> bounds how long a decision whose signal was lost waits to be noticed: the
/// orchestration re-reads the decisions table at least that often.
/// </remarks>
public sealed record AllocationRunRequest(string RunId, TimeSpan ApprovalTimeout, TimeSpan DecisionRecheckInterval);

/// <summary>The run's custom status: where it is and what it has done so far.</summary>
public sealed record RunProgress(string Stage, string Detail);

/// <summary>The outcome of a run.</summary>
public sealed record AllocationRunResult(string Status, string? Reason, long TotalYuan, int LedgerEntries, int NoticesSent, string StageTimings);

/// <summary>
/// One allocation run: compute, two-stage approval, ledger, notices. Deterministic: time comes from the context,
/// all I/O happens in activities, and decisions are read from the decisions table (the source of truth), so a
/// decision is never lost to an event that arrived early, late or twice.
/// </summary>
public static class AllocationRunOrchestrator
{
    public const string Name = "AllocationRun";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0));

    /// <summary>Upper bound of re-checks per stage (keeps the history bounded whatever the timeout).</summary>
    public const int MaxWakeUpsPerStage = 20_000;

    public static string DecisionEvent(string stage) => "decision-" + stage;

    public static async Task<AllocationRunResult> RunAsync(TaskOrchestrationContext context, AllocationRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var runId = request.RunId;
        var timings = new List<string>();
        var stageStart = context.CurrentUtcDateTime;
        void Lap(string stage)
        {
            var now = context.CurrentUtcDateTime;
            timings.Add(string.Create(CultureInfo.InvariantCulture, $"{stage}={(now - stageStart).TotalSeconds:0.000}s"));
            stageStart = now;
        }

        await Progress(context, runId, RunStatuses.Computing, "computing the allocation");
        var computed = await context.CallActivityAsync<ComputeOutcome>(ActivityNames.ComputeAllocation, new RunReference(runId), Retry);
        Lap("compute");

        var approvals = new List<string>();
        foreach (var stage in ApprovalStages.InOrder)
        {
            await Progress(context, runId, RunStatuses.AwaitingStage(stage), string.Create(CultureInfo.InvariantCulture, $"{computed.ProvinceCount} provinces, {computed.TotalYuan:N0} yuan; waiting for {stage}"));
            var decision = await AwaitDecisionAsync(context, runId, stage, context.CurrentUtcDateTime + request.ApprovalTimeout, request.DecisionRecheckInterval);
            Lap(stage);
            if (decision is null)
            {
                return await Finish(context, runId, RunStatuses.Expired, $"no {stage} decision before the deadline", computed.TotalYuan, 0, 0, timings);
            }

            if (!decision.Approved)
            {
                return await Finish(context, runId, RunStatuses.Rejected, $"{stage} rejected by {decision.DecidedBy}: {decision.Reason}", computed.TotalYuan, 0, 0, timings);
            }

            approvals.Add($"{stage}:{decision.DecidedBy}");
        }

        await Progress(context, runId, RunStatuses.WritingLedger, "writing the ledger");
        var ledger = await context.CallActivityAsync<LedgerOutcome>(
            ActivityNames.WriteLedger, new LedgerWrite(runId, string.Join(';', approvals), context.CurrentUtcDateTime), Retry);
        Lap("ledger");

        await Progress(context, runId, RunStatuses.SendingNotices, string.Create(CultureInfo.InvariantCulture, $"{ledger.Entries} ledger entries; sending notices"));
        var sent = await context.CallActivityAsync<int>(ActivityNames.SendNotices, new NoticeDispatch(runId, context.CurrentUtcDateTime), Retry);
        Lap("notices");

        return await Finish(context, runId, RunStatuses.Completed, null, ledger.TotalYuan, ledger.Entries, sent, timings);
    }

    /// <summary>
    /// Waits for a stage's decision until the deadline. The table is read first (a decision recorded before the wait
    /// began counts), then after every wake-up: the decision's signal, or a re-check timer, so a signal that was lost
    /// or raised before the wait began delays a decision by at most one re-check interval and never loses it.
    /// </summary>
    private static async Task<ApprovalDecision?> AwaitDecisionAsync(TaskOrchestrationContext context, string runId, string stage, DateTime deadline, TimeSpan recheck)
    {
        if (recheck <= TimeSpan.Zero)
        {
            recheck = TimeSpan.FromMinutes(1);
        }

        var maxWakeUps = (int)Math.Min(MaxWakeUpsPerStage, Math.Ceiling((deadline - context.CurrentUtcDateTime) / recheck)) + 100;
        ApprovalDecision? recorded = null;
        for (var wake = 0; wake < maxWakeUps; wake++)
        {
            recorded = await context.CallActivityAsync<ApprovalDecision?>(ActivityNames.FindDecision, new DecisionQuery(runId, stage), Retry);
            if (recorded is not null || context.CurrentUtcDateTime >= deadline)
            {
                return recorded;
            }

            var remaining = deadline - context.CurrentUtcDateTime;
            try
            {
                // A timed-out wait may swallow a later signal; harmless, because the table is read again right after.
                await context.WaitForExternalEvent<string>(DecisionEvent(stage), remaining < recheck ? remaining : recheck);
            }
            catch (TaskCanceledException)
            {
                // re-check interval or deadline reached: read the table again
            }
        }

        return recorded;
    }

    private static async Task Progress(TaskOrchestrationContext context, string runId, string stage, string detail)
    {
        context.SetCustomStatus(new RunProgress(stage, detail));
        await context.CallActivityAsync(ActivityNames.SetRunStatus, new StageChange(runId, stage, null), Retry);
    }

    private static async Task<AllocationRunResult> Finish(
        TaskOrchestrationContext context, string runId, string status, string? reason, long total, int entries, int sent, List<string> timings)
    {
        var stageTimings = string.Join("; ", timings);
        context.SetCustomStatus(new RunProgress(status, reason ?? "done"));
        await context.CallActivityAsync(ActivityNames.CompleteRun, new RunCompletion(runId, status, reason, stageTimings, context.CurrentUtcDateTime), Retry);
        return new AllocationRunResult(status, reason, total, entries, sent, stageTimings);
    }
}
