using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>The one exception to "one advance per program and year": the remainder, once, after the advance.</summary>
public abstract class RemainderReleaseTests(EngineFixture fixture)
{
    private async Task<HttpResponseMessage> StartAsync(string parameters, string? release)
    {
        var body = new JsonObject { ["parameters"] = JsonNode.Parse(parameters), ["provincesCsv"] = EngineFixture.ProvincesCsv };
        if (release is not null)
        {
            body["release"] = release;
        }

        return await fixture.SendAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", body.ToJsonString());
    }

    private static string RunIdOf(string json) => JsonNode.Parse(json)!["runId"]!.GetValue<string>();

    [Fact]
    public async Task The_remainder_is_released_once_after_the_advance_and_counts_in_the_net()
    {
        var remainder = EngineFixture.Parameters("medical-assistance", 2026).Replace("26686000000", "2000000000", StringComparison.Ordinal);

        using var beforeAdvance = await StartAsync(remainder, "remainder");
        var advanceId = await fixture.CompleteRunAsync("medical-assistance");
        using var secondAdvance = await StartAsync(EngineFixture.Parameters("medical-assistance", 2026), null);
        using var unknownRelease = await StartAsync(remainder, "bonus");
        using var started = await StartAsync(remainder, "remainder");
        using var secondRemainder = await StartAsync(remainder, "remainder");

        Assert.Equal(HttpStatusCode.Conflict, beforeAdvance.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondAdvance.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownRelease.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondRemainder.StatusCode);

        var remainderId = RunIdOf(await started.Content.ReadAsStringAsync());
        await fixture.ApproveAndCompleteAsync(remainderId);
        var entries = await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(remainderId);
        Assert.Equal(31, entries.Count);
        Assert.All(entries, e => Assert.Equal(LedgerEntryKinds.Remainder, e.Kind));
        Assert.Equal(2_000_000_000L, entries.Sum(e => e.AmountYuan));
        Assert.True((await fixture.Engine.Services.GetRequiredService<LedgerAuditService>().VerifyRunAsync(remainderId))!.Intact);
        var totals = await fixture.Engine.Services.GetRequiredService<LedgerQueryService>().TotalsAsync(new LedgerQuery(2026, "medical-assistance"));
        Assert.Equal(26_686_000_000L + 2_000_000_000L, totals.Sum(t => t.NetYuan));
        Assert.NotEqual(advanceId, remainderId);
    }
}
