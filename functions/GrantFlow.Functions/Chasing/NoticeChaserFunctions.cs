using GrantFlow.Workflows.Chasing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace GrantFlow.Functions.Chasing;

/// <summary>The chaser's orchestrator and sweep activity, under the same names as on the local engine.</summary>
public sealed class NoticeChaserFunctions(NoticeChaseSteps steps)
{
    [Function(NoticeChaserOrchestrator.Name)]
    public static Task<ChaseSweep> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NoticeChaserOrchestrator.RunAsync(context, context.GetInput<NoticeChaserRequest>()!);
    }

    [Function(NoticeChaserOrchestrator.SweepActivity)]
    public Task<ChaseSweep> ChaseNotices([ActivityTrigger] DateTimeOffset now) => steps.SweepAsync(now);
}
