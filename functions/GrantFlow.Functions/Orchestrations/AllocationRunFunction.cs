using GrantFlow.Workflows.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace GrantFlow.Functions.Orchestrations;

/// <summary>The orchestrator trigger: the shared orchestration, under the same name as on the local engine.</summary>
public static class AllocationRunFunction
{
    [Function(AllocationRunOrchestrator.Name)]
    public static Task<AllocationRunResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AllocationRunOrchestrator.RunAsync(context, context.GetInput<AllocationRunRequest>()!);
    }
}
