using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Storage.Queues;
using GrantFlow.Workflows.Chasing;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Unacknowledged notices are chased every 7 days, escalated from 14, and never twice for the same round.</summary>
public class ChasingTests(EngineFixture fixture) : IClassFixture<EngineFixture>
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
        await outbox.AcknowledgeAsync("44", guangdong.NoticeNumber, "guangdong.finance", sent.AddDays(8));
        await outbox.DispatchAsync(runId); // a late, repeated delivery of the notices (at-least-once) reopens nothing
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

/// <summary>The Budget Law's 30 days: a reminder at day 20 and the overdue flag at day 30 for notices not passed down.</summary>
public class PassDownDeadlineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private async Task<List<JsonElement>> RemindersAsync(string code)
    {
        var queue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient($"notices-{code}");
        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.EndsWith("reminder", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task A_notice_not_passed_down_is_reminded_at_20_days_and_overdue_at_30_unless_its_pass_down_completed()
    {
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var steps = fixture.Engine.Services.GetRequiredService<NoticeChaseSteps>();
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var guangxi = (await outbox.ListForProvinceAsync("45")).Single(n => n.RunId == runId);
        await outbox.AcknowledgeAsync("45", guangxi.NoticeNumber, "gx.finance", DateTimeOffset.UtcNow);
        var csv = EngineFixture.CountiesCsv("45");
        var body = new GrantFlow.Workflows.PassDown.PassDownBody(guangxi.NoticeNumber, JsonDocument.Parse(EngineFixture.Parameters("medical-assistance")).RootElement, csv);
        var plan = await fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.PassDown.PassDownService>().PlanAsync("45", body);
        var passDown = await fixture.Runs.StartPassDownAsync(plan, "gx.finance");
        await fixture.ApproveAndCompleteAsync(passDown.RunId);
        var pending = (await fixture.Engine.Services.GetRequiredService<OpenNotices>().PendingPassDownsAsync()).Where(p => p.NoticeNumber.EndsWith(runId[..8], StringComparison.Ordinal)).ToList();
        Assert.Equal(30, pending.Count); // Guangxi passed down: no longer pending
        var sent = pending.Max(p => p.SentAt);

        var day19 = await steps.SweepAsync(sent.AddDays(19));
        var day20 = await steps.SweepAsync(sent.AddDays(20));
        var day30 = await steps.SweepAsync(sent.AddDays(30));
        var day31 = await steps.SweepAsync(sent.AddDays(31));

        Assert.Equal((0, 0), (day19.PassDownReminders, day19.NewlyOverdue));
        Assert.Equal((30, 0), (day20.PassDownReminders, day20.NewlyOverdue));
        Assert.Equal((0, 30), (day30.PassDownReminders, day30.NewlyOverdue));
        Assert.Equal((0, 0), (day31.PassDownReminders, day31.NewlyOverdue));
        Assert.Single(await RemindersAsync("44"), r => r.GetProperty("type").GetString() == "pass-down-reminder");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/pass-downs/overdue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("official.li", ["finance-officer"], TimeSpan.FromMinutes(5)));
        using var overdue = await fixture.Http.SendAsync(request);
        var rows = JsonDocument.Parse(await overdue.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(30, rows.Count(r => r.GetProperty("noticeNumber").GetString()!.EndsWith(runId[..8], StringComparison.Ordinal)));
        Assert.DoesNotContain(rows, r => r.GetProperty("provinceCode").GetString() == "45");

        var report = await fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Reports.MonthlyFundReport>().BuildAsync(2026, sent.AddDays(31).Year, sent.AddDays(31).Month);
        Assert.Equal(30, report.Where(l => l.Program == "medical-assistance").Sum(l => l.PassDownsOverdue));
        Assert.Equal(31, report.Count(l => l.Program == "medical-assistance")); // provinces only: the counties' entries are not lines
    }
}
