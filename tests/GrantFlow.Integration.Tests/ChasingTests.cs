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
        return [.. peeked.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement).Where(e => e.TryGetProperty("type", out var t) && t.GetString() == "reminder")];
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
        var escalation = await steps.SweepAsync(sent.AddDays(14));

        Assert.Equal(new ChaseSweep(31, 0, 0), early);
        Assert.Equal(new ChaseSweep(31, 31, 0), first);
        Assert.Equal(new ChaseSweep(31, 0, 0), again);
        Assert.Equal(new ChaseSweep(30, 30, 30), escalation);
        Assert.Single(await RemindersAsync("44"), r => r.GetProperty("chase").GetInt32() == 1);
        Assert.DoesNotContain(await RemindersAsync("44"), r => r.GetProperty("chase").GetInt32() == 2);
        var sichuan = await RemindersAsync("51");
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
