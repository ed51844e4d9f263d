using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Workflows.Chasing;

/// <summary>The chaser's state between generations: how often it sweeps.</summary>
public sealed record NoticeChaserRequest(TimeSpan SweepInterval);

/// <summary>
/// The eternal chaser (instance id <see cref="InstanceId"/>): a sweep, a durable timer, then it continues as new, so
/// its history is always a handful of rows. Deterministic: time comes from the context.
/// </summary>
public static partial class NoticeChaserOrchestrator
{
    public const string Name = "NoticeChaser";
    public const string InstanceId = "grantflow-notice-chaser";
    public const string SweepActivity = "ChaseNotices";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5)));

    public static async Task<ChaseSweep> RunAsync(TaskOrchestrationContext context, NoticeChaserRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ChaseSweep sweep;
        try
        {
            sweep = await context.CallActivityAsync<ChaseSweep>(SweepActivity, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), Retry);
        }
        catch (TaskFailedException ex)
        {
            // a failed sweep is tried again at the next interval
            LogSweepFailed(context.CreateReplaySafeLogger(typeof(NoticeChaserOrchestrator)), request.SweepInterval, ex.FailureDetails.ErrorMessage);
            sweep = new ChaseSweep(0, 0, 0);
        }

        await context.CreateTimer(context.CurrentUtcDateTime + request.SweepInterval, CancellationToken.None);
        context.ContinueAsNew(request);
        return sweep;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chaser's sweep failed; it is tried again in {Interval}: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, TimeSpan interval, string error);
}

/// <summary>
/// The sweep activity: schedules the pass-down deadline of every notice that has none yet, then chases unacknowledged
/// notices (the Functions app has its own trigger for it, with the client from its binding). Deadlines come first:
/// they are few and cheap, and the law's; reminders may be many, and are bounded by the sweep's budget.
/// </summary>
public sealed class ChaseNoticesActivity(NoticeChaseSteps steps, PassDownDeadlines deadlines, DurableTaskClient client) : TaskActivity<DateTimeOffset, ChaseSweep>
{
    public override Task<ChaseSweep> RunAsync(TaskActivityContext context, DateTimeOffset input) => SweepAsync(steps, deadlines, client, input);

    /// <summary>One sweep, as both hosts run it.</summary>
    public static async Task<ChaseSweep> SweepAsync(NoticeChaseSteps steps, PassDownDeadlines deadlines, DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(deadlines);
        var (scheduled, deferred) = await deadlines.ScheduleMissingAsync(client, cancellationToken);
        var sweep = await steps.SweepAsync(now, cancellationToken);
        return sweep with { DeadlinesScheduled = scheduled, Deferred = sweep.Deferred + deferred };
    }
}
