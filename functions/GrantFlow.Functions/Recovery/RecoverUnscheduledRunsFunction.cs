using GrantFlow.Workflows.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions.Recovery;

/// <summary>
/// Every five minutes: schedules the runs that were stored but never scheduled (the host died between the two), so a
/// run never stays "started" without an orchestration, and starts the notice chaser if it is not running.
/// Idempotent: a run with an instance, or a running chaser, is left alone.
/// </summary>
public sealed class RecoverUnscheduledRunsFunction(IServiceProvider services)
{
    public const string Name = "RecoverUnscheduledRuns";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await Workflows.Api.GrantFlowApi.CreateRunService(services, client).RecoverUnscheduledAsync(TimeSpan.FromMinutes(1), cancellationToken);
        await Workflows.Chasing.NoticeChaserStarter.EnsureRunningAsync(client, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Workflows.Chasing.ChasingOptions>>(), cancellationToken);
    }
}
