using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Chasing;

/// <summary>Starts the eternal chaser unless it runs already (hosts call it at start-up; the Functions app on its timer).</summary>
public static class NoticeChaserStarter
{
    public static async Task<bool> EnsureRunningAsync(DurableTaskClient client, IOptions<ChasingOptions> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var instance = await client.GetInstanceAsync(NoticeChaserOrchestrator.InstanceId, cancellationToken);
        if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
        {
            return false;
        }

        return await DurableStarts.TryScheduleAsync(client, NoticeChaserOrchestrator.Name, new NoticeChaserRequest(options.Value.SweepInterval), NoticeChaserOrchestrator.InstanceId, cancellationToken);
    }
}
