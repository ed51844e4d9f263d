using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The same request sent 2 and 4 ways at the same moment (two tools at once, a double click): exactly one effect,
/// and every other caller a clean 200 (the same stored answer) or 409.
/// </summary>
public abstract class ConcurrencyTests(EngineFixture fixture)
{
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string role, string user, string? body) => fixture.SendAsync(method, path, role, user, body);

    /// <summary>Sends the n requests together (released by one gate) and returns their statuses and bodies.</summary>
    private static async Task<List<(HttpStatusCode Status, string Body)>> AtOnceAsync(int n, Func<int, Task<HttpResponseMessage>> send)
    {
        var gate = new TaskCompletionSource();
        var tasks = Enumerable.Range(0, n).Select(async i =>
        {
            await gate.Task;
            using var response = await send(i);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        gate.SetResult();
        return [.. await Task.WhenAll(tasks)];
    }

    private static string StartBody(string parameters) =>
        new JsonObject { ["parameters"] = JsonNode.Parse(parameters), ["provincesCsv"] = EngineFixture.ProvincesCsv }.ToJsonString();

    private RunRepository Runs => fixture.Engine.Services.GetRequiredService<RunRepository>();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Two_runs_of_the_same_program_and_year_started_at_once_one_wins(int ways)
    {
        var year = 2060 + ways;
        var before = (await Runs.ListAsync(null)).Count;

        var answers = await AtOnceAsync(ways, i => SendAsync(HttpMethod.Post, "/api/runs", "finance-officer", $"official.{i}", StartBody(EngineFixture.Parameters("medical-assistance", year))));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Accepted));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Equal(before + 1, (await Runs.ListAsync(null)).Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task The_same_decision_sent_at_once_is_recorded_once(int ways)
    {
        var run = await fixture.Runs.StartAsync(EngineFixture.Parameters("medical-assistance", 2070 + ways), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        for (var i = 0; i < 300 && (await Runs.FindAsync(run.RunId))!.Status != RunStatuses.AwaitingReview; i++)
        {
            await Task.Delay(100);
        }

        var body = JsonSerializer.Serialize(new { stage = "review", decision = "approve" });
        var answers = await AtOnceAsync(ways, i => SendAsync(HttpMethod.Post, $"/api/runs/{run.RunId}/decisions", "approver", $"reviewer.{i}", body));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Single((await fixture.Runs.GetAsync(run.RunId))!.Decisions);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task The_same_acknowledgement_sent_at_once_gives_every_caller_the_one_stored(int ways)
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var notice = (await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("44")).Single(n => n.RunId == runId);

        var answers = await AtOnceAsync(ways, i => SendAsync(HttpMethod.Post, $"/api/provinces/44/notices/{notice.NoticeNumber}/acknowledgement", "province:44", $"guangdong.{i}", null));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var stored = answers.Select(a => JsonDocument.Parse(a.Body).RootElement).Select(e => (e.GetProperty("acknowledgedBy").GetString(), e.GetProperty("acknowledgedAt").GetDateTimeOffset())).Distinct().ToList();
        Assert.Single(stored);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task The_same_settlement_sent_at_once_starts_once(int ways)
    {
        var advanceId = await fixture.CompleteRunAsync("service-capacity");
        var year = (await Runs.FindAsync(advanceId))!.FiscalYear;

        var answers = await AtOnceAsync(ways, i => SendAsync(HttpMethod.Post, "/api/settlements", "finance-officer", $"official.{i}", StartBody(EngineFixture.Parameters("service-capacity", year))));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Accepted));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Single(await Runs.ListAsync(null), r => r.Kind == RunKinds.Settlement && r.FiscalYear == year);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task The_same_correction_sent_at_once_starts_once(int ways)
    {
        var advanceId = await fixture.CompleteRunAsync("medical-assistance");
        var year = (await Runs.FindAsync(advanceId))!.FiscalYear;
        var body = JsonSerializer.Serialize(new { correctsRunId = advanceId, provinceCode = "44", amountYuan = 1_000_000, reason = "recipients recounted" });

        var answers = await AtOnceAsync(ways, i => SendAsync(HttpMethod.Post, "/api/corrections", "finance-officer", $"official.{i}", body));

        Assert.Equal(1, answers.Count(a => a.Status == HttpStatusCode.Accepted));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Single(await Runs.ListAsync(null), r => r.Kind == RunKinds.Correction && r.Program == "medical-assistance" && r.FiscalYear == year);
    }
}
