using GrantFlow.Domain.Approvals;
using Microsoft.DurableTask;

namespace GrantFlow.Workflows.Runs;

// Thin Durable Task activities: each resolves AllocationRunSteps from DI and delegates to it, exactly as the
// Functions app's [ActivityTrigger] functions do.

public sealed class ComputeAllocationActivity(AllocationRunSteps steps) : TaskActivity<RunReference, ComputeOutcome>
{
    public override Task<ComputeOutcome> RunAsync(TaskActivityContext context, RunReference input) => steps.ComputeAsync(input);
}

public sealed class FindDecisionActivity(AllocationRunSteps steps) : TaskActivity<DecisionQuery, ApprovalDecision?>
{
    public override Task<ApprovalDecision?> RunAsync(TaskActivityContext context, DecisionQuery input) => steps.FindDecisionAsync(input);
}

public sealed class SetRunStatusActivity(AllocationRunSteps steps) : TaskActivity<StageChange, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, StageChange input)
    {
        await steps.SetStatusAsync(input);
        return true;
    }
}

public sealed class EnterStageActivity(AllocationRunSteps steps) : TaskActivity<StageEntry, ApprovalDecision?>
{
    public override Task<ApprovalDecision?> RunAsync(TaskActivityContext context, StageEntry input) => steps.EnterStageAsync(input);
}

public sealed class WriteLedgerActivity(AllocationRunSteps steps) : TaskActivity<LedgerWrite, LedgerOutcome>
{
    public override Task<LedgerOutcome> RunAsync(TaskActivityContext context, LedgerWrite input) => steps.WriteLedgerAsync(input);
}

public sealed class SendNoticesActivity(AllocationRunSteps steps) : TaskActivity<NoticeDispatch, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, NoticeDispatch input) => steps.SendNoticesAsync(input);
}

public sealed class CompleteRunActivity(AllocationRunSteps steps) : TaskActivity<RunCompletion, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RunCompletion input)
    {
        await steps.CompleteAsync(input);
        return true;
    }
}
