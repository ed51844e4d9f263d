using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Integration.Tests;

/// <summary>The HTTP API: each role against each endpoint, problem+json for bad input (on both hosts: <see cref="HostedSuites"/>).</summary>
public abstract class HttpApiTests(EngineFixture fixture)
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? role, string user = "someone", object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint(user, [role], TimeSpan.FromMinutes(10)));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return await fixture.Http.SendAsync(request);
    }

    private object StartBody(string? csv = null) => new
    {
        parameters = JsonDocument.Parse(fixture.ParametersFor("service-capacity")).RootElement,
        provincesCsv = csv ?? EngineFixture.ProvincesCsv,
    };

    private async Task<string> StartRunAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", StartBody());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("runId").GetString()!;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    [InlineData("auditor", HttpStatusCode.Forbidden)]
    [InlineData("province:44", HttpStatusCode.Forbidden)]
    [InlineData("finance-officer", HttpStatusCode.Accepted)]
    public async Task Only_a_finance_officer_starts_a_run(string? role, HttpStatusCode expected)
    {
        var before = (await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null)).Count;

        using var response = await SendAsync(HttpMethod.Post, "/api/runs", role, "official.li", StartBody());

        Assert.Equal(expected, response.StatusCode);
        var after = (await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null)).Count;
        Assert.Equal(expected == HttpStatusCode.Accepted ? before + 1 : before, after);
        if (expected == HttpStatusCode.Unauthorized && fixture.ThroughFunctionsApp)
        {
            // App Service authentication answers an anonymous caller itself (Return401): the app never runs.
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        else if (expected != HttpStatusCode.Accepted)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_forged_token_is_anonymous()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent(JsonSerializer.Serialize(StartBody()), Encoding.UTF8, "application/json") };
        var forged = GrantFlow.Hosting.Local.LocalTokens.Load(Path.Combine(Path.GetTempPath(), "gf-forged-" + Guid.NewGuid().ToString("N")));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged.Mint("mallory", ["finance-officer"], TimeSpan.FromMinutes(5)));

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_with_field_and_row_and_writes_nothing()
    {
        var before = (await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null)).Count;
        var csv = EngineFixture.ProvincesCsv.Replace("11,Beijing,北京,5,0.1,21890000,3718000", "11,Beijing,北京,5,0.1,21890000,lots", StringComparison.Ordinal);

        using var response = await SendAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", StartBody(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("errors")[0];
        Assert.Equal("resident_participants", error.GetProperty("field").GetString());
        Assert.Equal(2, error.GetProperty("row").GetInt32());
        Assert.Equal(before, (await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null)).Count);
    }

    [Fact]
    public async Task Each_role_against_each_read_and_decision_endpoint()
    {
        var runId = await StartRunAsync();
        var expectations = new (HttpMethod Method, string Path, string? Role, HttpStatusCode Status)[]
        {
            (HttpMethod.Get, $"/api/runs/{runId}", null, HttpStatusCode.Unauthorized),
            (HttpMethod.Get, $"/api/runs/{runId}", "finance-officer", HttpStatusCode.OK),
            (HttpMethod.Get, $"/api/runs/{runId}", "approver", HttpStatusCode.OK),
            (HttpMethod.Get, $"/api/runs/{runId}", "auditor", HttpStatusCode.OK),
            (HttpMethod.Get, $"/api/runs/{runId}", "province:44", HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/runs/{runId}/ledger", null, HttpStatusCode.Unauthorized),
            (HttpMethod.Get, $"/api/runs/{runId}/ledger", "auditor", HttpStatusCode.OK),
            (HttpMethod.Get, $"/api/runs/{runId}/ledger", "province:44", HttpStatusCode.Forbidden),
            (HttpMethod.Get, "/api/provinces/44/notices", null, HttpStatusCode.Unauthorized),
            (HttpMethod.Get, "/api/provinces/44/notices", "province:44", HttpStatusCode.OK),
            (HttpMethod.Get, "/api/provinces/44/notices", "province:45", HttpStatusCode.Forbidden),
            (HttpMethod.Get, "/api/provinces/44/notices", "auditor", HttpStatusCode.OK),
            (HttpMethod.Get, "/api/provinces/44/notices", "finance-officer", HttpStatusCode.Forbidden),
        };
        foreach (var (method, path, role, status) in expectations)
        {
            using var response = await SendAsync(method, path, role);
            Assert.True(status == response.StatusCode, $"{role ?? "anonymous"} {method} {path}: {response.StatusCode}, expected {status}");
        }

        var decision = new { stage = "review", decision = "approve" };
        foreach (var role in new string?[] { null, "finance-officer", "auditor", "province:44" })
        {
            using var refused = await SendAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", role, "reviewer.wang", decision);
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Empty((await fixture.Runs.GetAsync(runId))!.Decisions);
        for (var i = 0; i < 300 && (await fixture.Runs.GetAsync(runId))!.Run.Status != RunStatuses.AwaitingReview; i++)
        {
            await Task.Delay(100);
        }

        using var initiator = await SendAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", "approver", "official.li", decision);
        using var reviewer = await SendAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", "approver", "reviewer.wang", decision);
        using var same = await SendAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", "approver", "reviewer.wang", new { stage = "approval", decision = "approve" });

        Assert.Equal(HttpStatusCode.Forbidden, initiator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, same.StatusCode);
    }
}
