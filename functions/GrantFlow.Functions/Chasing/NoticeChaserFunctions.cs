using GrantFlow.Workflows.Chasing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Functions.Chasing;

/// <summary>The chaser and the pass-down deadlines: orchestrators and activities under the same names as on the local engine.</summary>
public sealed class NoticeChaserFunctions(NoticeChaseSteps steps, PassDownDeadlines deadlines)
{
    [Function(NoticeChaserOrchestrator.Name)]
    public static Task<ChaseSweep> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NoticeChaserOrchestrator.RunAsync(context, context.GetInput<NoticeChaserRequest>()!);
    }

    [Function(NoticeChaserOrchestrator.SweepActivity)]
    public Task<ChaseSweep> ChaseNotices([ActivityTrigger] DateTimeOffset now, [DurableClient] DurableTaskClient client) =>
        ChaseNoticesActivity.SweepAsync(steps, deadlines, client, now);

    [Function(PassDownDeadlineOrchestrator.Name)]
    public static Task<string> PassDownDeadlineAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PassDownDeadlineOrchestrator.RunAsync(context, context.GetInput<PassDownDeadlineRequest>()!);
    }

    [Function(PassDownDeadlineOrchestrator.StepActivity)]
    public Task<bool> FollowPassDownDeadline([ActivityTrigger] PassDownDeadlineStep step) => deadlines.FollowAsync(step);
}
