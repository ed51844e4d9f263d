using GrantFlow.Contracts;
using System.Net;
using System.Reflection;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Every route of the API against every kind of caller: anonymous gets 401, a caller without the route's role gets 403
/// and writes nothing (the whole storage account compared before and after), a caller with it gets past the door
/// (whatever the request then deserves, never 401, 403 or a 5xx). The matrix must name every route the API declares.
/// </summary>
public abstract class RoleMatrixTests(EngineFixture fixture)
{
    private const string FinanceOfficer = "finance-officer";
    private const string Approver = "approver";
    private const string Auditor = "auditor";
    private const string Guangdong = "province:44";
    private const string Guangxi = "province:45";
    private const string GuangdongApprover = "province-approver:44";

    private sealed record Row(string Route, HttpMethod Method, string Path, string[] Allowed, object? Body = null, bool Public = false);

    [Fact]
    public async Task Every_route_admits_exactly_its_roles_and_a_refused_caller_writes_nothing()
    {
        var runId = await fixture.CompleteRunAsync("resident-insurance");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var notice = (await outbox.ListForProvinceAsync("44")).Single(n => n.RunId == runId).NoticeNumber;
        await outbox.AcknowledgeAsync("44", notice, "gd.finance", DateTimeOffset.UtcNow);
        var countyLines = EngineFixture.CountiesCsv("44").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var county = countyLines[1][..6];
        var otherCounty = EngineFixture.CountiesCsv("45").Split("\r\n")[1][..6];
        var passDown = await fixture.Runs.StartPassDownAsync(
            await fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.PassDown.PassDownService>().PlanAsync(
                "44", new GrantFlow.Contracts.PassDownBody(notice, System.Text.Json.JsonDocument.Parse(EngineFixture.Parameters("resident-insurance")).RootElement, EngineFixture.CountiesCsv("44"))),
            "gd.finance");
        await fixture.ApproveAndCompleteAsync(passDown.RunId);
        var countyNotice = (await outbox.ListForProvinceAsync(county)).Single().NoticeNumber;
        var decision = new { stage = "review", decision = "approve" };
        var empty = new { };

        var prefecture = "prefecture:" + county[..4];
        var prefectureApprover = "prefecture-approver:" + county[..4];
        const string Neighbour = "prefecture:4499";
        string[] everyone = [FinanceOfficer, Approver, Auditor, Guangdong, Guangxi, GuangdongApprover, "province-approver:45", "county:" + county, "county:" + otherCounty, prefecture, prefectureApprover, Neighbour];
        Row[] matrix =
        [
            new(GrantFlowApi.ListRunsRoute, HttpMethod.Get, "/api/runs", [FinanceOfficer, Approver, Auditor, Guangdong, Guangxi, GuangdongApprover, "province-approver:45", prefecture, prefectureApprover, Neighbour]),
            new(GrantFlowApi.HealthRoute, HttpMethod.Get, "/api/health", everyone),
            new(GrantFlowApi.RolesRoute, HttpMethod.Post, "/api/auth/roles", everyone, new { claims = new[] { new { typ = "roles", val = "auditor" } } }),
            new(GrantFlowApi.OpenApiRoute, HttpMethod.Get, "/api/openapi.json", everyone),
            new(GrantFlowApi.StartRunRoute, HttpMethod.Post, "/api/runs", [FinanceOfficer], empty),
            new(GrantFlowApi.RunRoute, HttpMethod.Get, $"/api/runs/{runId}", [FinanceOfficer, Approver, Auditor]),
            new(GrantFlowApi.RunRoute, HttpMethod.Get, $"/api/runs/{passDown.RunId}", [FinanceOfficer, Auditor, Guangdong, GuangdongApprover]),
            new(GrantFlowApi.DecisionsRoute, HttpMethod.Post, $"/api/runs/{runId}/decisions", [Approver], decision),
            new(GrantFlowApi.DecisionsRoute, HttpMethod.Post, $"/api/runs/{passDown.RunId}/decisions", [GuangdongApprover], decision),
            new(GrantFlowApi.LedgerRoute, HttpMethod.Get, $"/api/runs/{runId}/ledger", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.SettlementsRoute, HttpMethod.Post, "/api/settlements", [FinanceOfficer], empty),
            new(GrantFlowApi.CorrectionsRoute, HttpMethod.Post, "/api/corrections", [FinanceOfficer], empty),
            new(GrantFlowApi.LedgerQueryRoute, HttpMethod.Get, "/api/ledger?fiscalYear=2026", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.LedgerTotalsRoute, HttpMethod.Get, "/api/ledger/totals?fiscalYear=2026", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.LedgerExportRoute, HttpMethod.Get, "/api/ledger/export?fiscalYear=2026&format=csv", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.LedgerVerifyRoute, HttpMethod.Get, $"/api/ledger/verify?runId={runId}", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.NoticesRoute, HttpMethod.Get, "/api/provinces/44/notices", [Guangdong, Auditor]),
            new(GrantFlowApi.AcknowledgeRoute, HttpMethod.Post, $"/api/provinces/44/notices/{notice}/acknowledgement", [Guangdong]),
            new(GrantFlowApi.MonthlyReportRoute, HttpMethod.Get, "/api/reports/monthly?fiscalYear=2026&year=2026&month=11", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.ChasesRoute, HttpMethod.Get, "/api/chases", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.OverduePassDownsRoute, HttpMethod.Get, "/api/pass-downs/overdue", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.OpenDisputeRoute, HttpMethod.Post, $"/api/provinces/44/notices/{notice}/disputes", [Guangdong], empty),
            new(GrantFlowApi.DisputesRoute, HttpMethod.Get, "/api/disputes", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.ResolveDisputeRoute, HttpMethod.Post, $"/api/disputes/44/{notice}/resolution", [FinanceOfficer], empty),
            new(GrantFlowApi.PassDownRoute, HttpMethod.Post, "/api/provinces/44/pass-downs", [Guangdong], empty),
            new(GrantFlowApi.PassDownRoute, HttpMethod.Get, "/api/provinces/44/pass-downs", [FinanceOfficer, Auditor, Guangdong, GuangdongApprover]),
            new(GrantFlowApi.CountyNoticesRoute, HttpMethod.Get, $"/api/counties/{county}/notices", ["county:" + county, prefecture, Guangdong, Auditor]),
            new(GrantFlowApi.PrefectureNoticesRoute, HttpMethod.Get, $"/api/prefectures/{county[..4]}/notices", [prefecture, Guangdong, Auditor]),
            new(GrantFlowApi.PrefectureAcknowledgeRoute, HttpMethod.Post, $"/api/prefectures/{county[..4]}/notices/{notice}/acknowledgement", [prefecture]),
            new(GrantFlowApi.PrefecturePassDownRoute, HttpMethod.Post, $"/api/prefectures/{county[..4]}/pass-downs", [prefecture], empty),
            new(GrantFlowApi.PrefecturePassDownRoute, HttpMethod.Get, $"/api/prefectures/{county[..4]}/pass-downs", [FinanceOfficer, Auditor, Guangdong, prefecture, prefectureApprover]),
            new(GrantFlowApi.LedgerTraceRoute, HttpMethod.Get, $"/api/ledger/trace/{passDown.RunId}/1", [FinanceOfficer, Auditor]),
            new(GrantFlowApi.CountyAcknowledgeRoute, HttpMethod.Post, $"/api/counties/{county}/notices/{countyNotice}/acknowledgement", ["county:" + county]),
            new(GrantFlowApi.PlansRoute, HttpMethod.Get, "/api/plans?fiscalYear=2026", [FinanceOfficer, Approver, Auditor]),
            new(GrantFlowApi.PlanRoute, HttpMethod.Get, "/api/plans/resident-insurance/2026", [FinanceOfficer, Approver, Auditor]),
            new(GrantFlowApi.PlanRoute, HttpMethod.Put, "/api/plans/resident-insurance/2031", [FinanceOfficer], new { expectedYuan = 400_000_000_000 }),
            new(GrantFlowApi.PublicationRoute, HttpMethod.Post, $"/api/runs/{runId}/publication", [FinanceOfficer]),
            new(GrantFlowApi.PublicFeedRoute, HttpMethod.Get, "/api/public/feed.atom", [], Public: true),
            new(GrantFlowApi.PublicIndexRoute, HttpMethod.Get, "/api/public/index/2026.json", [], Public: true),
            new(GrantFlowApi.PublicReleaseRoute, HttpMethod.Get, $"/api/public/releases/{runId}.json", [], Public: true),
        ];
        string?[] callers = [null, .. everyone];

        var declared = typeof(GrantFlowApi).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("Route", StringComparison.Ordinal)).Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.Equal(declared.Order(StringComparer.Ordinal), matrix.Select(r => r.Route).Distinct().Order(StringComparer.Ordinal));

        var before = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        var wrong = new List<string>();
        foreach (var row in matrix)
        {
            foreach (var caller in callers.Where(c => !row.Public && (c is null || !row.Allowed.Contains(c))))
            {
                var status = await StatusAsync(row, caller);
                var expected = caller is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (status != expected)
                {
                    wrong.Add($"{caller ?? "anonymous"} {row.Method} {row.Path}: {(int)status}, expected {(int)expected}");
                }
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await StorageSnapshot.TakeAsync(fixture.StorageConnectionString));

        foreach (var row in matrix)
        {
            foreach (var caller in row.Public ? callers : row.Allowed.Select(a => (string?)a))
            {
                var status = await StatusAsync(row, caller);
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
                {
                    wrong.Add($"{caller ?? "anonymous"} {row.Method} {row.Path}: {(int)status}, expected to be let in");
                }
            }
        }

        Assert.Empty(wrong);
    }

    private async Task<HttpStatusCode> StatusAsync(Row row, string? role)
    {
        using var request = new HttpRequestMessage(row.Method, row.Path);
        if (role is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("someone", [role], TimeSpan.FromMinutes(10)));
        }

        if (row.Body is not null)
        {
            request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(row.Body), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Http.SendAsync(request);
        return response.StatusCode;
    }
}
