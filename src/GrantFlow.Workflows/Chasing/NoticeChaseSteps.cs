using System.Text.Json;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Chasing;

/// <summary>What one sweep of the chaser did.</summary>
/// <remarks><see cref="DeadlinesScheduled"/>: pass-down deadlines (a durable timer per notice) scheduled by this sweep.</remarks>
public sealed record ChaseSweep(int Open, int Chased, int Escalated, int DeadlinesScheduled = 0);

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
            Telemetry.GrantFlowTelemetry.ChasesSent.Add(1, new KeyValuePair<string, object?>("level", level));
            chased++;
            escalated += level == 2 ? 1 : 0;
        }

        return new ChaseSweep(notices.Count, chased, escalated);
    }
}
