using DurableTask.Core;
using GrantFlow.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// The orchestration service as the sidecar's dispatchers see it, with a stop that cannot take the process down.
/// The sidecar (TaskHubGrpcServer) stops its dispatchers from an <c>async void</c> handler of ApplicationStopping, so
/// anything the storage provider throws while stopping ends the process (DurableTask.AzureStorage's partition
/// manager, against a misbehaving storage, gives up after ten minutes with a TimeoutException). Stopping here waits a bounded time and logs what went wrong: the leases it could not release
/// expire on their own, exactly as after a kill, which the engine is built to survive.
/// A work item loses the messages an orchestration must not be given (<see cref="StaleOrchestrationMessages"/>).
/// Everything else is passed through unchanged.
/// </summary>
internal sealed partial class GuardedOrchestrationService(IOrchestrationService inner, ILogger logger, TimeSpan stopTimeout) : IOrchestrationService
{
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => inner.StartAsync();

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when a stop has finished (or given up). The sidecar starts the stop from an <c>async void</c> handler
    /// and does not wait for it; the engine waits for this before its storage may go away, or the provider's partition
    /// manager keeps retrying its lease table against a closed port for up to ten minutes, burning CPU.
    /// </summary>
    public Task Stopped => _stopped.Task;

    public Task StopAsync() => StopAsync(isForced: true);

    /// <summary>
    /// Always a forced stop: by the time the sidecar stops, the worker that would finish in-memory sessions is gone, so
    /// waiting for them only delays releasing the partitions (their messages reappear, as after a kill).
    /// </summary>
    public async Task StopAsync(bool isForced)
    {
        try
        {
            await inner.StopAsync(isForced: true).WaitAsync(stopTimeout);
        }
        catch (Exception ex)
        {
            LogStopFailed(logger, ex, stopTimeout);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The orchestration service did not stop cleanly within {Timeout}; its leases will expire on their own.")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, TimeSpan timeout);

    public Task CreateAsync() => inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <summary>The next work item, without the messages DurableTask.Core's dispatcher would drop (<see cref="StaleOrchestrationMessages"/>).</summary>
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            foreach (var (message, reason) in StaleOrchestrationMessages.Remove(workItem))
            {
                LogDroppedMessage(logger, workItem.InstanceId, message.Event.EventType, reason);
                GrantFlowTelemetry.EngineMessagesDropped.Add(1, new KeyValuePair<string, object?>("event_type", message.Event.EventType.ToString()));
            }
        }

        return workItem!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orchestration {InstanceId}: dropped a {EventType} message ({Reason}), as DurableTask.Core's dispatcher does.")]
    private static partial void LogDroppedMessage(ILogger logger, string instanceId, DurableTask.Core.History.EventType eventType, string reason);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
