using GrantFlow.Contracts;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Storage.Queues;
using GrantFlow.Workflows.Chasing;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Unacknowledged notices are chased every 7 days, escalated from 14, and never twice for the same round.</summary>
public abstract class ChasingTests(EngineFixture fixture)
{
    private async Task<List<JsonElement>> RemindersAsync(string code)
    {
        var queue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient($"notices-{code}");
        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.EndsWith("reminder", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task Notices_are_chased_escalated_and_dropped_once_acknowledged()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var steps = fixture.Engine.Services.GetRequiredService<NoticeChaseSteps>();
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var open = await fixture.Engine.Services.GetRequiredService<OpenNotices>().ListAsync();
        Assert.Equal(31, open.Count);
        var sent = open.Max(n => n.SentAt);

        var early = await steps.SweepAsync(sent.AddDays(6));
        var first = await steps.SweepAsync(sent.AddDays(7));
        var again = await steps.SweepAsync(sent.AddDays(7).AddHours(1)); // a sweep repeated (or after a restart): nothing new
        var guangdong = (await outbox.ListForProvinceAsync("44")).Single(n => n.RunId == runId);
        await fixture.Engine.Services.GetRequiredService<NoticeAcknowledgements>().AcknowledgeAsync("44", guangdong.NoticeNumber, "guangdong.finance", sent.AddDays(8));
        // a late, repeated delivery of the notices (at-least-once), followed again as the notices step does, reopens nothing
        await fixture.Engine.Services.GetRequiredService<OpenNotices>().FollowSentAsync(await outbox.DispatchAsync(runId));
        var escalation = await steps.SweepAsync(sent.AddDays(14));

        Assert.Equal(new ChaseSweep(31, 0, 0), early);
        Assert.Equal(new ChaseSweep(31, 31, 0), first);
        Assert.Equal(new ChaseSweep(31, 0, 0), again);
        Assert.Equal(new ChaseSweep(30, 30, 30), escalation);
        Assert.Single(await RemindersAsync("44"), r => r.GetProperty("type").GetString() == "reminder" && r.GetProperty("chase").GetInt32() == 1);
        Assert.DoesNotContain(await RemindersAsync("44"), r => r.GetProperty("type").GetString() == "reminder" && r.GetProperty("chase").GetInt32() == 2);
        var sichuan = (await RemindersAsync("51")).Where(r => r.GetProperty("type").GetString() == "reminder").ToList();
        Assert.Equal([1, 2], sichuan.Select(r => r.GetProperty("level").GetInt32()).Order());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chases");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("official.li", ["finance-officer"], TimeSpan.FromMinutes(5)));
        using var list = await fixture.Http.SendAsync(request);
        var chases = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(30, chases.Count);
        Assert.All(chases, c => Assert.Equal(2, c.GetProperty("level").GetInt32()));
        Assert.DoesNotContain(chases, c => c.GetProperty("provinceCode").GetString() == "44");

        using var byProvince = new HttpRequestMessage(HttpMethod.Get, "/api/chases");
        byProvince.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("gd", ["province:44"], TimeSpan.FromMinutes(5)));
        using var refused = await fixture.Http.SendAsync(byProvince);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}

/// <summary>The engine with the pass-down deadline on a short scale: a reminder at 20 s, overdue at 30 s.</summary>
public class ShortDeadlinesFixture : EngineFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["GrantFlow:Chasing:PassDownReminderAfter"] = "00:00:20",
        ["GrantFlow:Chasing:PassDownDeadline"] = "00:00:30",
    };
}

/// <summary>
/// The Budget Law's 30 days, as a durable timer per notice, on a short scale: a reminder at "day 20" and the overdue
/// flag at "day 30" for notices not passed down; a notice passed down meanwhile gets neither.
/// </summary>
public abstract class PassDownDeadlineTests(ShortDeadlinesFixture fixture)
{
    private async Task<List<JsonElement>> RemindersAsync(string code)
    {
        var queue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient($"notices-{code}");
        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.EndsWith("reminder", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task Each_notice_gets_a_durable_deadline_that_reminds_then_flags_it_overdue_unless_it_was_passed_down()
    {
        var services = fixture.Engine.Services;
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var outbox = services.GetRequiredService<NoticeOutbox>();
        var open = services.GetRequiredService<OpenNotices>();
        var deadlines = services.GetRequiredService<PassDownDeadlines>();
        var sweep = await ChaseNoticesActivity.SweepAsync(services.GetRequiredService<NoticeChaseSteps>(), deadlines, fixture.Engine.Client, DateTimeOffset.UtcNow);
        var again = await deadlines.ScheduleMissingAsync(fixture.Engine.Client); // a repeated sweep schedules nothing twice
        Assert.Equal(31, sweep.DeadlinesScheduled);
        Assert.Equal((0, 0), again);

        // Guangxi passes its notice down before its reminder is due.
        var guangxi = (await outbox.ListForProvinceAsync("45")).Single(n => n.RunId == runId);
        await services.GetRequiredService<NoticeAcknowledgements>().AcknowledgeAsync("45", guangxi.NoticeNumber, "gx.finance", DateTimeOffset.UtcNow);
        var body = new GrantFlow.Contracts.PassDownBody(guangxi.NoticeNumber, JsonDocument.Parse(EngineFixture.Parameters("medical-assistance")).RootElement, EngineFixture.CountiesCsv("45"));
        var plan = await services.GetRequiredService<GrantFlow.Workflows.PassDown.PassDownService>().PlanAsync("45", body);
        var passDown = await fixture.Runs.StartPassDownAsync(plan, "gx.finance");
        await fixture.ApproveAndCompleteAsync(passDown.RunId);
        var pending = (await open.PendingPassDownsAsync()).Where(p => p.NoticeNumber.EndsWith(runId[..8], StringComparison.Ordinal)).ToList();
        Assert.Equal(30, pending.Count);
        Assert.True(DateTimeOffset.UtcNow < pending.Min(p => p.SentAt).AddSeconds(20), "the pass-down took longer than the short-scale reminder delay");

        // Every deadline ends by itself: overdue for the 30, passed down for Guangxi.
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        foreach (var notice in pending.Select(p => p.NoticeNumber).Append(guangxi.NoticeNumber))
        {
            var done = await fixture.Engine.Client.WaitForInstanceCompletionAsync(PassDownDeadlineOrchestrator.InstanceIdFor(notice), getInputsAndOutputs: true, timeout.Token);
            outcomes[notice] = done.RuntimeStatus + ":" + done.ReadOutputAs<string>();
        }

        Assert.Equal(30, outcomes.Values.Count(o => o == "Completed:overdue"));
        Assert.Equal("Completed:passed-down", outcomes[guangxi.NoticeNumber]);
        var guangdongReminders = await RemindersAsync("44");
        Assert.Single(guangdongReminders, r => r.GetProperty("type").GetString() == "pass-down-reminder");
        Assert.DoesNotContain(await RemindersAsync("45"), r => r.GetProperty("type").GetString() == "pass-down-reminder");
        Assert.All((await open.PendingPassDownsAsync()).Where(p => p.NoticeNumber.EndsWith(runId[..8], StringComparison.Ordinal)), p => Assert.True(p.Reminded && p.OverdueSince is not null));

        // A deadline step repeated after a crash sends no second reminder.
        var guangdong = pending.Single(p => p.ProvinceCode == "44");
        Assert.True(await deadlines.FollowAsync(new PassDownDeadlineStep("44", guangdong.NoticeNumber, PassDownDeadlineOrchestrator.Reminder, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)));
        Assert.Single(await RemindersAsync("44"), r => r.GetProperty("type").GetString() == "pass-down-reminder");

        var (status, overdue) = await fixture.CallAsync(HttpMethod.Get, "/api/pass-downs/overdue", "finance-officer", "official.li");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = overdue.EnumerateArray().ToList();
        Assert.Equal(30, rows.Count(r => r.GetProperty("noticeNumber").GetString()!.EndsWith(runId[..8], StringComparison.Ordinal)));
        Assert.DoesNotContain(rows, r => r.GetProperty("provinceCode").GetString() == "45");

        var now = DateTimeOffset.UtcNow;
        var report = await services.GetRequiredService<GrantFlow.Workflows.Reports.MonthlyFundReport>().BuildAsync(2026, now.Year, now.Month);
        Assert.Equal(30, report.Where(l => l.Program == "medical-assistance").Sum(l => l.PassDownsOverdue));
        Assert.Equal(31, report.Count(l => l.Program == "medical-assistance")); // provinces only: the counties' entries are not lines
    }
}

/// <summary>The task hub lost (an operator deleted the engine's tables and queues): no pass-down deadline is lost with it.</summary>
public abstract class LostTaskHubDeadlineTests(EngineFixture fixture)
{
    [Fact]
    public async Task The_recovery_sweep_schedules_again_the_deadlines_lost_with_the_task_hub()
    {
        var services = fixture.Engine.Services;
        var client = fixture.Engine.Client;
        var runId = await fixture.CompleteRunAsync("service-capacity");
        await ChaseNoticesActivity.SweepAsync(services.GetRequiredService<NoticeChaseSteps>(), services.GetRequiredService<PassDownDeadlines>(), client, DateTimeOffset.UtcNow);
        var notices = (await services.GetRequiredService<OpenNotices>().PendingPassDownsAsync()).Where(p => p.NoticeNumber.EndsWith(runId[..8], StringComparison.Ordinal)).ToList();
        Assert.Equal(31, notices.Count);
        Assert.All(notices, n => Assert.True(n.DeadlineScheduled));

        // The hub lost: the chaser and two deadlines (waiting on their 20-day timers) gone without a trace.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string[] lost = [NoticeChaserOrchestrator.InstanceId, PassDownDeadlineOrchestrator.InstanceIdFor(notices[0].NoticeNumber), PassDownDeadlineOrchestrator.InstanceIdFor(notices[1].NoticeNumber)];
        foreach (var instanceId in lost)
        {
            if (await client.GetInstanceAsync(instanceId, timeout.Token) is { IsRunning: true })
            {
                await client.TerminateInstanceAsync(instanceId, cancellation: timeout.Token);
                await client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
            }

            await client.PurgeInstanceAsync(instanceId, cancellation: timeout.Token);
            Assert.Null(await client.GetInstanceAsync(instanceId, timeout.Token));
        }

        var lines = await GrantFlow.Workflows.Recovery.RecoverySweep.RunAsync(services, client, TimeSpan.FromMinutes(1), timeout.Token);

        Assert.Contains("Started the notice chaser.", lines);
        var rescheduled = Assert.Single(lines, l => l.StartsWith("Scheduled again 2 pass-down deadline(s)", StringComparison.Ordinal));
        Assert.Contains(notices[0].NoticeNumber, rescheduled, StringComparison.Ordinal);
        Assert.Contains(notices[1].NoticeNumber, rescheduled, StringComparison.Ordinal);
        foreach (var instanceId in lost)
        {
            Assert.NotNull(await client.GetInstanceAsync(instanceId, timeout.Token));
        }

        var again = await GrantFlow.Workflows.Recovery.RecoverySweep.RunAsync(services, client, TimeSpan.FromMinutes(1), timeout.Token);
        Assert.Empty(again); // nothing lost any more: a repeated sweep does nothing
    }
}
