using System.Text.Json;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Chasing;

/// <summary>What one sweep of the chaser did.</summary>
/// <remarks>
/// <see cref="DeadlinesScheduled"/>: pass-down deadlines (a durable timer per notice) scheduled by this sweep;
/// <see cref="Deferred"/>: chases and deadlines left to the next sweep (the storage failed them, or the sweep's time
/// was up).
/// </remarks>
public sealed record ChaseSweep(int Open, int Chased, int Escalated, int DeadlinesScheduled = 0, int Deferred = 0);

/// <summary>A reminder as it lands on the province's queue (beside its notices).</summary>
public sealed record NoticeReminder(string Type, string ReminderNumber, string NoticeNumber, string ProvinceCode, int Chase, int Level, DateTimeOffset SentAt, DateTimeOffset ChasedAt, string Message);

/// <summary>
/// One sweep: each open notice unacknowledged for <see cref="ChasingOptions.ChaseAfter"/> since it was sent (or since
/// its last chase) gets its next reminder on its province's queue; from <see cref="ChasingOptions.EscalateAfter"/> a
/// reminder is an escalation (level 2). Each reminder k of a notice goes through the outbox as "{notice}#R{k}", so a
/// sweep repeated after a crash sends no reminder twice; the chase count is recorded after the send.
/// </summary>
/// <remarks>
/// A sweep is bounded (<see cref="ChasingOptions.SweepBudget"/>), longest-waiting first, a few at once, and a reminder
/// the storage fails is left to the next sweep instead of failing the others: an unbounded sweep over hundreds of open
/// notices outlives a host restart and starts over each time, and one that fails whole on one reminder chases nobody.
/// </remarks>
public sealed partial class NoticeChaseSteps(OpenNotices open, NoticeOutbox outbox, IOptions<ChasingOptions> options, TimeProvider time, Microsoft.Extensions.Logging.ILogger<NoticeChaseSteps> logger)
{
    /// <summary>Reminders sent at once by one sweep.</summary>
    public const int ChaseConcurrency = 8;

    /// <summary>How long one reminder's dispatch keeps at a storage that fails it before it is left to the next sweep.</summary>
    public static readonly TimeSpan ReminderPatience = TimeSpan.FromSeconds(10);

    public async Task<ChaseSweep> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var notices = await open.ListAsync(cancellationToken);
        var due = notices.Where(n => now - (n.LastChasedAt ?? n.SentAt) >= settings.ChaseAfter).OrderBy(n => n.LastChasedAt ?? n.SentAt).ToList();
        var stopAt = time.GetUtcNow() + settings.SweepBudget;
        int chased = 0, escalated = 0, deferred = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ChaseConcurrency, CancellationToken = cancellationToken }, async (notice, token) =>
        {
            if (time.GetUtcNow() >= stopAt)
            {
                Interlocked.Increment(ref deferred);
                return;
            }

            try
            {
                var level = await ChaseAsync(notice, now, settings, token);
                Interlocked.Increment(ref chased);
                if (level == 2)
                {
                    Interlocked.Increment(ref escalated);
                }
            }
            catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref deferred); // its reminder is recorded: the next sweep sends it (once)
            }
        });

        if (chased > 0 || deferred > 0)
        {
            LogSweep(logger, notices.Count, chased, escalated, deferred);
        }

        return new ChaseSweep(notices.Count, chased, escalated, Deferred: deferred);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Chaser: {Open} notices open, {Chased} chased ({Escalated} escalated), {Deferred} left to the next sweep")]
    private static partial void LogSweep(Microsoft.Extensions.Logging.ILogger logger, int open, int chased, int escalated, int deferred);

    /// <summary>Sends the notice's next reminder (through the outbox: once) and records the chase; returns its level.</summary>
    private async Task<int> ChaseAsync(OpenNotice notice, DateTimeOffset now, ChasingOptions settings, CancellationToken cancellationToken)
    {
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
        await outbox.DispatchAsync(batch, fileUnderRecipient: false, patience: ReminderPatience, cancellationToken: cancellationToken);
        await open.RecordChaseAsync(notice, chase, level, now, cancellationToken);
        Telemetry.GrantFlowTelemetry.ChasesSent.Add(1, new KeyValuePair<string, object?>("level", level));
        return level;
    }
}
