using System.Globalization;
using GrantFlow.Domain.Approvals;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>What starts a run: the run id (its input is already stored) and how long each approval stage may wait.</summary>
/// <remarks>
/// <see cref="DecisionRecheckInterval"/> is the first re-check of the decisions table; re-checks then grow (doubling, up
/// to <see cref="AllocationRunOrchestrator.MaxRecheckInterval"/>), so a lost signal delays a decision by at most that
/// long and the history stays small. <see cref="Resume"/> is set when the run continues as new during a long wait;
/// <see cref="WakeUpsPerGeneration"/> overrides <see cref="AllocationRunOrchestrator.WakeUpsPerGeneration"/> (tests).
/// </remarks>
/// <remarks>
/// <see cref="Version"/> is the orchestration's shape, fixed when the run is scheduled, so a run in flight across a
/// deployment replays the steps it took: 1 (or absent) reads the decisions table after every signal and writes a
/// stage's status as a step of its own; 2 acts on the recorded decision its signal carries (the ledger step checks it
/// against the table) and enters a stage - status written, an earlier decision found - in one step; 3 publishes the
/// released run as open data before it completes.
/// </remarks>
public sealed record AllocationRunRequest(string RunId, TimeSpan ApprovalTimeout, TimeSpan DecisionRecheckInterval, AwaitingState? Resume = null, int? WakeUpsPerGeneration = null, int Version = 1);

/// <summary>Where a run that continued as new resumes: the stage it waits for, its deadline and what it has so far.</summary>
/// <remarks><see cref="StageStartedAt"/>: when the awaited stage began (in the first generation), so its timing covers the whole wait.</remarks>
public sealed record AwaitingState(ComputeOutcome Computed, string Stage, DateTime Deadline, TimeSpan NextRecheck, IReadOnlyList<string> Approvals, IReadOnlyList<string> Timings, int Generation, DateTime? StageStartedAt = null);

/// <summary>The outcome of a run.</summary>
public sealed record AllocationRunResult(string Status, string? Reason, long TotalYuan, int LedgerEntries, int NoticesSent, string StageTimings);

/// <summary>
/// One allocation run: compute, two-stage approval, ledger, notices. Deterministic: time comes from the context,
/// all I/O happens in activities, and decisions are read from the decisions table (the source of truth), so a
/// decision is never lost to an event that arrived early, late or twice.
/// </summary>
public static partial class AllocationRunOrchestrator
{
    public const string Name = "AllocationRun";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0));

    /// <summary>
    /// After the approvals the money is being released: the ledger and notice steps (idempotent, everything they can
    /// refuse checked before their first write, each attempt patient with a storage that fails now and then) ride out
    /// a storage outage of about an hour before the run fails. Retries wait at most two minutes, so a run whose
    /// storage recovers goes on within minutes, not after a doubling interval has grown to ten; each attempt is a
    /// durable timer: a score of history rows, whatever the outage.
    /// </summary>
    private static readonly TaskOptions ReleaseRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 20,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromMinutes(2)));

    /// <summary>
    /// Wake-ups (each a table read and a timer or signal: about 8 history rows) before the orchestration continues as
    /// new with the same deadline: its history never exceeds a few hundred rows, whatever the timeout.
    /// </summary>
    public const int WakeUpsPerGeneration = 25;

    /// <summary>The longest interval between two re-reads of the decisions table while waiting.</summary>
    public static readonly TimeSpan MaxRecheckInterval = TimeSpan.FromHours(1);

    public static string DecisionEvent(string stage) => "decision-" + stage;

    /// <summary>The shape new runs are scheduled with (see <see cref="AllocationRunRequest.Version"/>).</summary>
    public const int CurrentVersion = 3;

    public static async Task<AllocationRunResult> RunAsync(TaskOrchestrationContext context, AllocationRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var timings = request.Resume?.Timings.ToList() ?? [];
        try
        {
            return await RunStagesAsync(context, request, timings);
        }
        catch (TaskFailedException ex)
        {
            // Every run reaches an end state: an activity that failed for good marks the run failed with its reason.
            var reason = $"{ex.TaskName} failed: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
            LogFailed(context.CreateReplaySafeLogger(typeof(AllocationRunOrchestrator)), request.RunId, ex.TaskName, reason);
            return await Finish(context, request.RunId, RunStatuses.Failed, reason.Length > 1_000 ? reason[..1_000] : reason, 0, 0, 0, timings);
        }
    }

    private static async Task<AllocationRunResult> RunStagesAsync(TaskOrchestrationContext context, AllocationRunRequest request, List<string> timings)
    {
        var runId = request.RunId;
        var stageStart = request.Resume?.StageStartedAt ?? context.CurrentUtcDateTime;
        void Lap(string stage)
        {
            var now = context.CurrentUtcDateTime;
            timings.Add(string.Create(CultureInfo.InvariantCulture, $"{stage}={(now - stageStart).TotalSeconds:0.000}s"));
            stageStart = now;
        }

        var resume = request.Resume;
        ComputeOutcome computed;
        if (resume is null)
        {
            await Progress(context, runId, RunStatuses.Computing, "computing the allocation");
            computed = await context.CallActivityAsync<ComputeOutcome>(ActivityNames.ComputeAllocation, new RunReference(runId), Retry);
            Lap("compute");
        }
        else
        {
            computed = resume.Computed;
        }

        var approvals = resume?.Approvals.ToList() ?? [];
        foreach (var stage in ApprovalStages.InOrder.SkipWhile(s => resume is not null && s != resume.Stage))
        {
            var resuming = resume is not null && resume.Stage == stage;
            var detail = string.Create(CultureInfo.InvariantCulture, $"{computed.ProvinceCount} provinces, {computed.TotalYuan:N0} yuan; waiting for {stage}");
            Entered? entered = null;
            if (resuming)
            {
                context.SetCustomStatus(new RunProgress(RunStatuses.AwaitingStage(stage), detail));
            }
            else if (request.Version >= 2)
            {
                context.SetCustomStatus(new RunProgress(RunStatuses.AwaitingStage(stage), detail));
                entered = new Entered(await context.CallActivityAsync<ApprovalDecision?>(ActivityNames.EnterStage, new StageEntry(runId, RunStatuses.AwaitingStage(stage), stage), Retry));
            }
            else
            {
                await Progress(context, runId, RunStatuses.AwaitingStage(stage), detail);
            }

            var deadline = resuming ? resume!.Deadline : context.CurrentUtcDateTime + request.ApprovalTimeout;
            var wait = await AwaitDecisionAsync(context, new DecisionWait(runId, stage, deadline, resuming ? resume!.NextRecheck : request.DecisionRecheckInterval, request.WakeUpsPerGeneration ?? WakeUpsPerGeneration, request.Version, entered));
            if (wait.NextRecheck is { } next)
            {
                // Still waiting after a generation's wake-ups: start afresh with the same deadline (bounded history).
                var generation = (resume?.Generation ?? 0) + 1;
                var log = context.CreateReplaySafeLogger(typeof(AllocationRunOrchestrator));
                LogContinued(log, runId, stage, deadline, generation);
                context.ContinueAsNew(request with
                {
                    Resume = new AwaitingState(computed, stage, deadline, next, approvals, timings, generation, stageStart),
                });
                return new AllocationRunResult(RunStatuses.AwaitingStage(stage), "continued as new", computed.TotalYuan, 0, 0, string.Join("; ", timings));
            }

            resume = null;
            Lap(stage);
            var decision = wait.Decision;
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
            ActivityNames.WriteLedger, new LedgerWrite(runId, string.Join(';', approvals), context.CurrentUtcDateTime), ReleaseRetry);
        Lap("ledger");
        if (ledger.Refusal is { } refused)
        {
            return await Finish(context, runId, RunStatuses.Failed, refused, computed.TotalYuan, 0, 0, timings);
        }

        await Progress(context, runId, RunStatuses.SendingNotices, string.Create(CultureInfo.InvariantCulture, $"{ledger.Entries} ledger entries; sending notices"));
        var sent = await context.CallActivityAsync<int>(ActivityNames.SendNotices, new NoticeDispatch(runId, context.CurrentUtcDateTime), ReleaseRetry);
        Lap("notices");

        string? publicationFailure = null;
        if (request.Version >= 3)
        {
            // Published as open data (Budget Law art. 14). The money is released either way: a publication that fails
            // for good is recorded on the run (a finance officer publishes it again; a late one is flagged), not a failed run.
            try
            {
                await context.CallActivityAsync<bool>(ActivityNames.PublishRelease, new PublicationRequest(runId, context.CurrentUtcDateTime), Retry);
                Lap("publish");
            }
            catch (TaskFailedException ex)
            {
                publicationFailure = $"{ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
                publicationFailure = publicationFailure.Length > 500 ? publicationFailure[..500] : publicationFailure;
            }
        }

        return await Finish(context, runId, RunStatuses.Completed, null, ledger.TotalYuan, ledger.Entries, sent, timings, publicationFailure);
    }

    /// <summary>The decision found (null: none before the deadline), or the re-check to continue with in a new generation.</summary>
    private sealed record WaitOutcome(ApprovalDecision? Decision, TimeSpan? NextRecheck);

    /// <summary>What entering the stage found in the decisions table (version 2).</summary>
    private sealed record Entered(ApprovalDecision? Recorded);

    private sealed record DecisionWait(string RunId, string Stage, DateTime Deadline, TimeSpan Recheck, int WakeUpsPerGeneration, int Version, Entered? Entered);

    /// <summary>
    /// Waits for a stage's decision until the deadline. The table is read first (a decision recorded before the wait
    /// began counts; in version 2 the read that entered the stage is that first read), then after every timed-out
    /// wake-up; a signal wakes it at once: in version 1 to read the table, in version 2 carrying the recorded decision
    /// it acts on (the ledger step checks it against the table). A signal that was lost or raised before the wait
    /// began delays a decision by at most one re-check interval and never loses it. The interval doubles after each
    /// timed-out wake-up up to <see cref="MaxRecheckInterval"/>; after <see cref="WakeUpsPerGeneration"/> wake-ups
    /// the caller continues as new.
    /// </summary>
    private static async Task<WaitOutcome> AwaitDecisionAsync(TaskOrchestrationContext context, DecisionWait w)
    {
        var recheck = w.Recheck > TimeSpan.Zero ? w.Recheck : TimeSpan.FromMinutes(1);
        var read = w.Entered is not null;
        var recorded = w.Entered?.Recorded;
        for (var wake = 0; ; wake++)
        {
            if (!read)
            {
                recorded = await context.CallActivityAsync<ApprovalDecision?>(ActivityNames.FindDecision, new DecisionQuery(w.RunId, w.Stage), Retry);
            }

            read = false;
            if (recorded is not null || context.CurrentUtcDateTime >= w.Deadline)
            {
                return new WaitOutcome(recorded, null);
            }

            if (wake >= w.WakeUpsPerGeneration)
            {
                return new WaitOutcome(null, recheck);
            }

            var remaining = w.Deadline - context.CurrentUtcDateTime;
            try
            {
                // A signal that arrives after this wait timed out (while the table is read) is kept for the next wait
                // (DecisionSignalTests); were it lost, the table read after the next timer would still find the decision.
                var signal = await context.WaitForExternalEvent<string>(DecisionEvent(w.Stage), remaining < recheck ? remaining : recheck);
                if (w.Version >= 2 && Signalled(signal, w.RunId, w.Stage) is { } decided)
                {
                    return new WaitOutcome(decided, null);
                }
            }
            catch (TaskCanceledException)
            {
                // re-check interval or deadline reached: read the table again, and wait longer next time
                recheck = recheck * 2 < MaxRecheckInterval ? recheck * 2 : MaxRecheckInterval;
            }
        }
    }

    /// <summary>The recorded decision a signal carries (JSON), when it is this run's and this stage's; null otherwise (then the table is read).</summary>
    private static ApprovalDecision? Signalled(string? payload, string runId, string stage)
    {
        if (payload is null || !payload.StartsWith('{'))
        {
            return null; // version 1's signal: the stage's name only
        }

        try
        {
            var decision = System.Text.Json.JsonSerializer.Deserialize<ApprovalDecision>(payload, Storage.WorkflowJson.Options);
            return decision is not null && decision.RunId == runId && decision.Stage == stage && !string.IsNullOrWhiteSpace(decision.DecidedBy) ? decision : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task Progress(TaskOrchestrationContext context, string runId, string stage, string detail)
    {
        context.SetCustomStatus(new RunProgress(stage, detail));
        await context.CallActivityAsync(ActivityNames.SetRunStatus, new StageChange(runId, stage, null), Retry);
    }

    private static async Task<AllocationRunResult> Finish(
        TaskOrchestrationContext context, string runId, string status, string? reason, long total, int entries, int sent, List<string> timings, string? publicationFailure = null)
    {
        var stageTimings = string.Join("; ", timings);
        context.SetCustomStatus(new RunProgress(status, reason ?? "done"));
        await context.CallActivityAsync(ActivityNames.CompleteRun, new RunCompletion(runId, status, reason, stageTimings, context.CurrentUtcDateTime, publicationFailure), Retry);
        return new AllocationRunResult(status, reason, total, entries, sent, stageTimings);
    }

    // Replay-safe: written once, when the orchestration first takes the step, never again on replay.
    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: {Activity} failed for good; the run fails: {Reason}")]
    private static partial void LogFailed(ILogger logger, string runId, string activity, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} still awaits {Stage} (deadline {Deadline:u}); generation {Generation} continues as new")]
    private static partial void LogContinued(ILogger logger, string runId, string stage, DateTime deadline, int generation);
}
