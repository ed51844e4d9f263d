using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Functions.Recovery;

/// <summary>
/// Every five minutes, the recovery sweep: runs stored but never scheduled, or whose orchestration was lost (the task
/// hub deleted), are started again from their records; runs whose orchestration ended without them are failed with
/// the reason; interrupted dispute upholds get their one correction; the notice chaser is started if it is not
/// running. Idempotent: a run with a live instance, or a running chaser, is left alone.
/// </summary>
public sealed partial class RecoverUnscheduledRunsFunction(IServiceProvider services, Microsoft.Extensions.Logging.ILogger<RecoverUnscheduledRunsFunction> logger)
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Recovery sweep: {Line}")]
    private static partial void LogRecovered(Microsoft.Extensions.Logging.ILogger logger, string line);

    public const string Name = "RecoverUnscheduledRuns";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        foreach (var line in await Workflows.Recovery.RecoverySweep.RunAsync(services, client, TimeSpan.FromMinutes(1), cancellationToken))
        {
            LogRecovered(logger, line);
        }
    }
}
