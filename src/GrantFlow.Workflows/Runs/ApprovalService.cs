using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Orchestrations;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Workflows.Runs;

public enum DecisionOutcome
{
    Recorded,
    RunNotFound,
    Forbidden,
    Conflict,
}

public sealed record DecisionResult(DecisionOutcome Outcome, string Message);

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

        var review = await decisions.FindAsync(runId, ApprovalStages.Review, cancellationToken);
        var open = stage == ApprovalStages.Review
            ? run.Status == RunStatuses.AwaitingReview
            : review is { Approved: true } && run.Status is RunStatuses.AwaitingReview or RunStatuses.AwaitingApproval;
        if (!open)
        {
            return new(DecisionOutcome.Conflict, $"run {runId} is {run.Status}; it is not awaiting {stage}.");
        }

        if (ApprovalRules.RefusalReason(stage, user, run.StartedBy, review?.DecidedBy) is { } refusal)
        {
            return new(DecisionOutcome.Forbidden, refusal);
        }

        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            return new(DecisionOutcome.Conflict, "a rejection needs a reason.");
        }

        var decision = new ApprovalDecision(runId, stage, user, approve, reason, time.GetUtcNow());
        if (!await decisions.TryRecordAsync(decision, cancellationToken))
        {
            return new(DecisionOutcome.Conflict, $"the {stage} of run {runId} has already been decided.");
        }

        await client.RaiseEventAsync(runId, AllocationRunOrchestrator.DecisionEvent(stage), stage, cancellationToken);
        return new(DecisionOutcome.Recorded, $"{stage} {(approve ? "approved" : "rejected")} by {user}.");
    }
}
