using System.Text.Json;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Chasing;

/// <summary>What one sweep of the chaser did.</summary>
public sealed record ChaseSweep(int Open, int Chased, int Escalated, int PassDownReminders = 0, int NewlyOverdue = 0);

/// <summary>A reminder as it lands on the province's queue (beside its notices).</summary>
public sealed record NoticeReminder(string Type, string ReminderNumber, string NoticeNumber, string ProvinceCode, int Chase, int Level, DateTimeOffset SentAt, DateTimeOffset ChasedAt, string Message);

/// <summary>
/// One sweep: each open notice unacknowledged for <see cref="ChasingOptions.ChaseAfter"/> since it was sent (or since
/// its last chase) gets its next reminder on its province's queue; from <see cref="ChasingOptions.EscalateAfter"/> a
/// reminder is an escalation (level 2). Each reminder k of a notice goes through the outbox as "{notice}#R{k}", so a
/// sweep repeated after a crash sends no reminder twice; the chase count is recorded after the send.
/// </summary>
public sealed class NoticeChaseSteps(OpenNotices open, NoticeOutbox outbox, IOptions<ChasingOptions> options)
{
    public async Task<ChaseSweep> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var notices = await open.ListAsync(cancellationToken);
        int chased = 0, escalated = 0;
        foreach (var notice in notices)
        {
            var since = notice.LastChasedAt ?? notice.SentAt;
            if (now - since < settings.ChaseAfter)
            {
                continue;
            }

            var chase = notice.Chases + 1;
            var level = now - notice.SentAt >= settings.EscalateAfter ? 2 : 1;
            var number = $"{notice.NoticeNumber}#R{chase}";
            var reminder = new NoticeReminder(
                "reminder",
                number,
                notice.NoticeNumber,
                notice.ProvinceCode,
                chase,
                level,
                notice.SentAt,
                now,
                level == 2
                    ? $"催办（升级） escalation: notice {notice.NoticeNumber} has not been acknowledged since {notice.SentAt:yyyy-MM-dd}; acknowledge it now."
                    : $"催办 reminder: please acknowledge notice {notice.NoticeNumber}, sent {notice.SentAt:yyyy-MM-dd}.");
            var batch = $"chase-{notice.NoticeNumber}-R{chase}"; // a table key: no "#"
            await outbox.RecordMessagesAsync(batch, [new OutboxMessage(notice.ProvinceCode, number, JsonSerializer.Serialize(reminder, WorkflowJson.Options))], cancellationToken);
            await outbox.DispatchAsync(batch, fileUnderRecipient: false, cancellationToken: cancellationToken);
            await open.RecordChaseAsync(notice, chase, level, now, cancellationToken);
            chased++;
            escalated += level == 2 ? 1 : 0;
        }

        var (reminders, overdue) = await FollowPassDownsAsync(now, cancellationToken);
        return new ChaseSweep(notices.Count, chased, escalated, reminders, overdue);
    }

    /// <summary>
    /// The pass-down deadline: a notice not passed down 20 days after it was sent gets one reminder (through the
    /// outbox, "{notice}#D"), and from 30 days it is flagged overdue (the monthly report and GET /api/pass-downs/overdue
    /// show it) until a pass-down of it completes.
    /// </summary>
    private async Task<(int Reminders, int Overdue)> FollowPassDownsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        int reminders = 0, overdue = 0;
        foreach (var pending in await open.PendingPassDownsAsync(cancellationToken))
        {
            var age = now - pending.SentAt;
            var remind = !pending.Reminded && age >= settings.PassDownReminderAfter;
            var late = pending.OverdueSince is null && age >= settings.PassDownDeadline;
            if (remind)
            {
                var number = $"{pending.NoticeNumber}#D";
                var reminder = new NoticeReminder(
                    "pass-down-reminder", number, pending.NoticeNumber, pending.ProvinceCode, 1, 1, pending.SentAt, now,
                    $"下达提醒 reminder: notice {pending.NoticeNumber} must be passed down to the counties by {pending.SentAt + settings.PassDownDeadline:yyyy-MM-dd}.");
                var batch = $"deadline-{pending.NoticeNumber}";
                await outbox.RecordMessagesAsync(batch, [new OutboxMessage(pending.ProvinceCode, number, JsonSerializer.Serialize(reminder, WorkflowJson.Options))], cancellationToken);
                await outbox.DispatchAsync(batch, fileUnderRecipient: false, cancellationToken: cancellationToken);
                reminders++;
            }

            if (remind || late)
            {
                await open.MarkPassDownAsync(pending, remind, late ? now : null, cancellationToken);
                overdue += late ? 1 : 0;
            }
        }

        return (reminders, overdue);
    }
}
