using DurableTask.Core;
using DurableTask.Core.History;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// The messages an orchestration must not be given, taken out of a work item before the sidecar's dispatcher runs it.
/// DurableTask.Core's own dispatcher (the one Azure Functions runs) drops them in <c>ReconcileMessagesWithState</c>; the
/// sidecar's dispatcher passes every message on (its source leaves the filtering of invalid messages still to do), so
/// one of them stalls the orchestration for good:
/// <list type="bullet">
/// <item>a second <c>ExecutionStarted</c>: DurableTask.AzureStorage writes an episode's history before it deletes the
/// messages that caused it, so a crash (or a storage fault) in between delivers the start message again; adding it
/// throws "Multiple ExecutionStartedEvent found" on every delivery and the instance never moves again;</item>
/// <item>a message for another execution of the instance (one before a <c>ContinueAsNew</c>): a timer or task id of the
/// old generation would otherwise be taken for the new one's.</item>
/// </list>
/// A dropped message is still deleted with its batch when the work item completes, as DurableTask.Core does.
/// </summary>
internal static class StaleOrchestrationMessages
{
    /// <summary>Removes the stale messages from the work item and returns them with the reason each was dropped.</summary>
    public static IReadOnlyList<(TaskMessage Message, string Reason)> Remove(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var state = workItem.OrchestrationRuntimeState;
        var started = state?.ExecutionStartedEvent is not null;
        var executionId = started ? state!.OrchestrationInstance?.ExecutionId : null;
        List<(TaskMessage, string)> dropped = [];
        List<TaskMessage> kept = [];

        // The sidecar adds a batch's start message before the others; the first one starts the execution.
        foreach (var message in workItem.NewMessages.OrderBy(m => m.Event is ExecutionStartedEvent ? 0 : 1))
        {
            var messageExecution = message.OrchestrationInstance?.ExecutionId;
            if (message.Event is ExecutionStartedEvent)
            {
                if (started)
                {
                    dropped.Add((message, "a start message for an instance already started"));
                    continue;
                }

                started = true;
                executionId = messageExecution;
            }
            else if (!string.IsNullOrWhiteSpace(messageExecution) && executionId is not null && !string.Equals(messageExecution, executionId, StringComparison.Ordinal))
            {
                dropped.Add((message, $"a message for execution {messageExecution}, not the current {executionId}"));
                continue;
            }

            kept.Add(message);
        }

        if (dropped.Count > 0)
        {
            // Keep the batch's own order for the messages that stay.
            workItem.NewMessages = [.. workItem.NewMessages.Where(kept.Contains)];
        }

        return dropped;
    }
}
