using GrantFlow.Domain.Approvals;
using Microsoft.DurableTask.Client;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// Records an approval decision in the decisions table first, then signals the orchestration. The table is the
/// source of truth: the orchestration re-reads it after every wake-up, so a lost signal loses nothing.
/// </summary>
public sealed class ApprovalService(RunRepository runs, DecisionRepository decisions, DurableTaskClient client, TimeProvider time)
{
    public async Task<DecisionResult> DecideAsync(string runId, string stage, string user, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var run = await runs.FindAsync(runId, cancellationToken);
        if (run is null)
        {
            return new(DecisionOutcome.RunNotFound, $"run {runId} does not exist.");
        }

        if (!ApprovalStages.IsKnown(stage))
        {
            return new(DecisionOutcome.Conflict, $"unknown stage '{stage}'.");
        }

        // The same decision again by the same person (a retry after an answer that never came, or a 503 whose write
        // did land) is answered as recorded: an official told to try again must not then be told "already decided".
        if (await decisions.FindAsync(runId, stage, cancellationToken) is { } earlier && earlier.DecidedBy == user && earlier.Approved == approve)
        {
            return await SignalAsync(run, earlier, cancellationToken);
        }

        var review = await decisions.FindAsync(runId, ApprovalStages.Review, cancellationToken);
        var open = stage == ApprovalStages.Review
            ? run.Status == RunStatuses.AwaitingReview
            : review is { Approved: true } && run.Status is RunStatuses.AwaitingReview or RunStatuses.AwaitingApproval;
        if (!open)
        {
            return new(DecisionOutcome.Conflict, $"run {runId} is {run.Status}; it is not awaiting {stage}.") { Code = ProblemCodes.NotAwaitingDecision, Args = Http.ApiResult.Args(("stage", stage), ("status", run.Status)) };
        }

        if (ApprovalRules.RefusalReason(stage, user, run.StartedBy, review?.DecidedBy) is { } refusal)
        {
            return new(DecisionOutcome.Forbidden, refusal) { Code = ProblemCodes.SegregationOfDuties, Args = Http.ApiResult.Args(("stage", stage)) };
        }

        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            return new(DecisionOutcome.Conflict, "a rejection needs a reason.");
        }

        var decision = new ApprovalDecision(runId, stage, user, approve, reason, time.GetUtcNow());
        if (!await decisions.TryRecordAsync(decision, cancellationToken))
        {
            // Taken by someone else, or by this very write (the storage carried out an insert whose answer was lost,
            // and the SDK's retry found it there): only the latter is this decision.
            var stored = await decisions.FindAsync(runId, stage, cancellationToken);
            if (stored is null || stored.DecidedBy != user || stored.Approved != approve)
            {
                return new(DecisionOutcome.Conflict, $"the {stage} of run {runId} has already been decided.") { Code = ProblemCodes.NotAwaitingDecision, Args = Http.ApiResult.Args(("stage", stage), ("status", "decided")) };
            }

            decision = stored;
        }

        return await SignalAsync(run, decision, cancellationToken);
    }

    /// <summary>Tells a waiting run of its decision (it also re-reads the table when it wakes, so a lost signal only delays it).</summary>
    private async Task<DecisionResult> SignalAsync(RunRecord run, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        if (!RunStatuses.IsTerminal(run.Status))
        {
            // The recorded decision itself (a run of version 2 acts on it; one of version 1 reads the table on any signal).
            await client.RaiseEventAsync(run.RunId, AllocationRunOrchestrator.DecisionEvent(decision.Stage), System.Text.Json.JsonSerializer.Serialize(decision, Storage.WorkflowJson.Options), cancellationToken);
        }

        return new(DecisionOutcome.Recorded, $"{decision.Stage} {(decision.Approved ? "approved" : "rejected")} by {decision.DecidedBy}.");
    }
}
