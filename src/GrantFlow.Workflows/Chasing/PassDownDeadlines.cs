using System.Text.Json;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Chasing;

/// <summary>
/// Schedules a <see cref="PassDownDeadlineOrchestrator"/> for every province notice awaiting its pass-down, and does
/// its steps. Scheduling is a reconciliation the chaser's sweep runs: every pending notice without a scheduled
/// deadline gets one (instance id from the notice number, so a repeat finds it and schedules nothing twice), then the
/// row is marked. A crash between the two only repeats the look-up.
/// </summary>
public sealed partial class PassDownDeadlines(OpenNotices open, NoticeOutbox outbox, IOptions<ChasingOptions> options, Microsoft.Extensions.Logging.ILogger<PassDownDeadlines> logger)
{
    /// <summary>
    /// Schedules the missing deadlines; returns how many it scheduled and how many the storage (or the engine) failed,
    /// which the next sweep schedules: one that fails does not hold up the others.
    /// </summary>
    public async Task<(int Scheduled, int Deferred)> ScheduleMissingAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var settings = options.Value;
        int scheduled = 0, deferred = 0;
        foreach (var pending in await open.PendingPassDownsAsync(cancellationToken))
        {
            if (pending.DeadlineScheduled)
            {
                continue;
            }

            try
            {
                scheduled += await ScheduleAsync(client, pending, settings, markScheduled: true, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !cancellationToken.IsCancellationRequested)
            {
                deferred++;
            }
        }

        return (scheduled, deferred);
    }

    /// <summary>
    /// Schedules again every deadline recorded as scheduled whose orchestration no longer exists (the task hub lost: an
    /// operator deleted its tables and queues, and the sweep's marks would otherwise keep the deadlines from being
    /// scheduled ever again). Its times are absolute and its steps idempotent (the reminder once through the outbox, the
    /// flag once), so a deadline scheduled again ends as it would have. Returns the notice numbers scheduled again.
    /// One look at the engine per notice awaiting its pass-down: the recovery sweep calls it when the task hub shows
    /// signs of loss (the chaser was not running), not on every pass.
    /// </summary>
    public async Task<IReadOnlyList<string>> RescheduleLostAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var settings = options.Value;
        var rescheduled = new List<string>();
        foreach (var pending in await open.PendingPassDownsAsync(cancellationToken))
        {
            if (pending.DeadlineScheduled && await ScheduleAsync(client, pending, settings, markScheduled: false, cancellationToken))
            {
                rescheduled.Add(pending.NoticeNumber);
            }
        }

        return rescheduled;
    }

    /// <summary>One notice's deadline unless it exists (its instance id from the notice number: scheduled once), then its row marked.</summary>
    private async Task<bool> ScheduleAsync(DurableTaskClient client, PendingPassDown pending, ChasingOptions settings, bool markScheduled, CancellationToken cancellationToken)
    {
        var instanceId = PassDownDeadlineOrchestrator.InstanceIdFor(pending.NoticeNumber);
        var scheduled = false;
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is null)
        {
            var request = new PassDownDeadlineRequest(
                pending.ProvinceCode,
                pending.NoticeNumber,
                (pending.SentAt + settings.PassDownReminderAfter).UtcDateTime,
                (pending.SentAt + settings.PassDownDeadline).UtcDateTime);
            scheduled = await DurableStarts.TryScheduleAsync(client, PassDownDeadlineOrchestrator.Name, request, instanceId, cancellationToken);
        }

        if (markScheduled)
        {
            await open.MarkDeadlineScheduledAsync(pending, cancellationToken);
        }

        return scheduled;
    }

    /// <summary>
    /// A deadline step: false when the notice was passed down (nothing to do, the deadline ends); otherwise the reminder
    /// through the outbox ("{notice}#D", sent once whatever the retries) or the overdue flag, and true.
    /// </summary>
    public async Task<bool> FollowAsync(PassDownDeadlineStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var pending = await open.FindPendingPassDownAsync(step.ProvinceCode, step.NoticeNumber, cancellationToken);
        if (pending is null)
        {
            return false;
        }

        if (step.Step == PassDownDeadlineOrchestrator.Reminder)
        {
            if (!pending.Reminded)
            {
                var number = $"{pending.NoticeNumber}#D";
                var reminder = new NoticeReminder(
                    "pass-down-reminder", number, pending.NoticeNumber, pending.ProvinceCode, 1, 1, pending.SentAt, step.At,
                    $"下达提醒 reminder: notice {pending.NoticeNumber} must be passed down to the counties by {step.DueAt:yyyy-MM-dd}.");
                var batch = $"deadline-{pending.NoticeNumber}";
                await outbox.RecordMessagesAsync(batch, [new OutboxMessage(pending.ProvinceCode, number, JsonSerializer.Serialize(reminder, WorkflowJson.Options))], cancellationToken);
                await outbox.DispatchAsync(batch, fileUnderRecipient: false, cancellationToken: cancellationToken);
                await open.MarkPassDownAsync(pending, reminded: true, overdueSince: null, cancellationToken);
            }
        }
        else if (pending.OverdueSince is null)
        {
            await open.MarkPassDownAsync(pending, reminded: false, overdueSince: step.At, cancellationToken);
            Telemetry.GrantFlowTelemetry.PassDownsOverdue.Add(1, new KeyValuePair<string, object?>("program", pending.Program));
            LogOverdue(logger, pending.NoticeNumber, pending.ProvinceCode, step.DueAt);
        }

        return true;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Notice {NoticeNumber} of province {Province} was not passed down by its deadline {DueAt:yyyy-MM-dd}")]
    private static partial void LogOverdue(Microsoft.Extensions.Logging.ILogger logger, string noticeNumber, string province, DateTimeOffset dueAt);
}
