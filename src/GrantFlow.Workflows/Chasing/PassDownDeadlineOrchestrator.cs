using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Workflows.Chasing;

/// <summary>One notice's pass-down deadline: when its reminder is due and when it becomes overdue (UTC).</summary>
public sealed record PassDownDeadlineRequest(string ProvinceCode, string NoticeNumber, DateTime RemindAt, DateTime DueAt);

/// <summary>A step of a deadline, as the activity receives it: "reminder" or "overdue", at the context's time.</summary>
public sealed record PassDownDeadlineStep(string ProvinceCode, string NoticeNumber, string Step, DateTimeOffset At, DateTimeOffset DueAt);

/// <summary>
/// The Budget Law's 30 days for one province notice, as a durable timer per notice (instance id
/// <see cref="InstanceIdFor"/>): a timer to the reminder (day 20 by default), a look at whether the notice was passed
/// down meanwhile (then it ends), the reminder; a timer to the deadline (day 30), another look, the overdue flag. The
/// times are absolute (from when the notice was sent), so when the orchestration was scheduled does not move them. Its
/// history is two timers and two activities (the SDK splits a 30-day timer into a few shorter ones): bounded.
/// </summary>
public static partial class PassDownDeadlineOrchestrator
{
    public const string Name = "PassDownDeadline";
    public const string StepActivity = "FollowPassDownDeadline";
    public const string Reminder = "reminder";
    public const string Overdue = "overdue";

    /// <summary>Retried for about half an hour; a step that still fails ends the deadline as failed, with its reason.</summary>
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(15), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromMinutes(10)));

    public static string InstanceIdFor(string noticeNumber) => "pass-down-deadline-" + noticeNumber;

    public static async Task<string> RunAsync(TaskOrchestrationContext context, PassDownDeadlineRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (step, at) in new[] { (Reminder, request.RemindAt), (Overdue, request.DueAt) })
        {
            if (context.CurrentUtcDateTime < at)
            {
                await context.CreateTimer(at, CancellationToken.None);
            }

            bool pending;
            try
            {
                pending = await context.CallActivityAsync<bool>(
                    StepActivity,
                    new PassDownDeadlineStep(request.ProvinceCode, request.NoticeNumber, step, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), new DateTimeOffset(request.DueAt, TimeSpan.Zero)),
                    Retry);
            }
            catch (TaskFailedException ex)
            {
                LogStepFailed(context.CreateReplaySafeLogger(typeof(PassDownDeadlineOrchestrator)), request.NoticeNumber, request.ProvinceCode, step, ex.FailureDetails.ErrorMessage);
                return $"failed at {step}: {ex.FailureDetails.ErrorMessage}";
            }

            if (!pending)
            {
                return "passed-down";
            }
        }

        return Overdue;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The pass-down deadline of {Notice} ({Province}) failed at its {Step}: {Error}")]
    private static partial void LogStepFailed(ILogger logger, string notice, string province, string step, string error);
}

/// <summary>The deadline's step activity (the Functions app has its own trigger for it).</summary>
public sealed class FollowPassDownDeadlineActivity(PassDownDeadlines deadlines) : TaskActivity<PassDownDeadlineStep, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, PassDownDeadlineStep input) => deadlines.FollowAsync(input);
}
