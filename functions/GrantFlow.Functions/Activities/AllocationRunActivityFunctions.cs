using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.Azure.Functions.Worker;

namespace GrantFlow.Functions.Activities;

/// <summary>Activity triggers: each delegates to the shared <see cref="AllocationRunSteps"/>.</summary>
public sealed class AllocationRunActivityFunctions(AllocationRunSteps steps, GrantFlow.Workflows.Disclosure.ReleasePublisher publisher)
{
    [Function(ActivityNames.ComputeAllocation)]
    public Task<ComputeOutcome> ComputeAllocation([ActivityTrigger] RunReference input) => steps.ComputeAsync(input);

    [Function(ActivityNames.FindDecision)]
    public Task<ApprovalDecision?> FindDecision([ActivityTrigger] DecisionQuery input) => steps.FindDecisionAsync(input);

    [Function(ActivityNames.SetRunStatus)]
    public async Task<bool> SetRunStatus([ActivityTrigger] StageChange input)
    {
        await steps.SetStatusAsync(input);
        return true;
    }

    [Function(ActivityNames.EnterStage)]
    public Task<ApprovalDecision?> EnterStage([ActivityTrigger] StageEntry input) => steps.EnterStageAsync(input);

    [Function(ActivityNames.WriteLedger)]
    public Task<LedgerOutcome> WriteLedger([ActivityTrigger] LedgerWrite input) => steps.WriteLedgerAsync(input);

    [Function(ActivityNames.SendNotices)]
    public Task<int> SendNotices([ActivityTrigger] NoticeDispatch input) => steps.SendNoticesAsync(input);

    [Function(ActivityNames.PublishRelease)]
    public async Task<bool> PublishRelease([ActivityTrigger] PublicationRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await publisher.PublishAsync(input.RunId, new DateTimeOffset(input.PublishedAt, TimeSpan.Zero));
        return true;
    }

    [Function(ActivityNames.CompleteRun)]
    public async Task<bool> CompleteRun([ActivityTrigger] RunCompletion input)
    {
        await steps.CompleteAsync(input);
        return true;
    }
}
