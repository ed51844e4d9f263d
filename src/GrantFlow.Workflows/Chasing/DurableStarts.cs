using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Workflows.Chasing;

/// <summary>Starting an orchestration with a fixed instance id that another host (or an interrupted start) may have started.</summary>
public static class DurableStarts
{
    /// <summary>
    /// Schedules the instance; false when it exists (started meanwhile by another sweep or host). A failure is told
    /// apart by asking the engine whether the instance now exists, never by the exception's type or message: if it does
    /// not, the failure is real and is thrown.
    /// </summary>
    public static async Task<bool> TryScheduleAsync(DurableTaskClient client, TaskName orchestrator, object input, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is { RuntimeStatus: not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated) })
            {
                return false;
            }

            throw;
        }
    }
}
