using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The API as a newcomer meets it: runs listed with filters and pages, a health check, enums as strings, the run's
/// progress as an object, and a 401 that says whether the token was missing, expired or invalid.
/// </summary>
public abstract class ApiPolishTests(EngineFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task A_401_says_whether_the_token_was_missing_expired_or_invalid()
    {
        var expired = fixture.Tokens.Mint("official.li", ["finance-officer"], TimeSpan.FromMinutes(-10));
        var forged = fixture.Tokens.Mint("official.li", ["finance-officer"], TimeSpan.FromMinutes(10))[..^4] + "AAAA";

        var missing = await GetAsync("/api/runs", null);
        var late = await GetAsync("/api/runs", "Bearer " + expired);
        var bad = await GetAsync("/api/runs", "Bearer " + forged);
        var notBearer = await GetAsync("/api/runs", "Basic b2ZmaWNpYWw6c2VjcmV0");

        Assert.All(new[] { missing, late, bad, notBearer }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        if (fixture.ThroughFunctionsApp)
        {
            // App Service authentication answers each of them before the app runs: a bare 401, telling nothing more.
            Assert.All(new[] { missing, late, bad, notBearer }, r => Assert.Equal(JsonValueKind.Undefined, r.Body.ValueKind));
            return;
        }

        Assert.Equal("missing", missing.Body.GetProperty("token").GetString());
        Assert.Equal("expired", late.Body.GetProperty("token").GetString());
        Assert.Equal("invalid", bad.Body.GetProperty("token").GetString());
        Assert.Equal("invalid", notBearer.Body.GetProperty("token").GetString());
        Assert.DoesNotContain("signature", bad.Body.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase); // no more than "invalid"
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_filtered_and_paged_and_each_caller_sees_only_its_own()
    {
        var first = await fixture.CompleteRunAsync("service-capacity");
        var second = await fixture.CompleteRunAsync("medical-assistance");
        var third = await fixture.CompleteRunAsync("service-capacity");
        var officer = "Bearer " + fixture.Tokens.Mint("official.li", ["finance-officer"], TimeSpan.FromMinutes(10));

        var page1 = await GetAsync("/api/runs?pageSize=2", officer);
        var page2 = await GetAsync("/api/runs?pageSize=2&continuationToken=" + page1.Body.GetProperty("continuationToken").GetString(), officer);
        var filtered = await GetAsync("/api/runs?program=service-capacity&status=completed", officer);
        var wrongToken = await GetAsync("/api/runs?pageSize=3&continuationToken=" + page1.Body.GetProperty("continuationToken").GetString(), officer);
        var badFilter = await GetAsync("/api/runs?status=done&pageSize=0", officer);
        var guangdong = await GetAsync("/api/runs", "Bearer " + fixture.Tokens.Mint("gd", ["province:44"], TimeSpan.FromMinutes(10)));
        var county = await GetAsync("/api/runs", "Bearer " + fixture.Tokens.Mint("c", ["county:440103"], TimeSpan.FromMinutes(10)));

        Assert.Equal(HttpStatusCode.OK, page1.Status);
        Assert.Equal([third, second], page1.Body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Contains(first, page2.Body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal([third, first], filtered.Body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.Status); // a token only works with the query that issued it
        Assert.Equal(["status", "pageSize"], badFilter.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Empty(guangdong.Body.GetProperty("runs").EnumerateArray()); // a province sees its own pass-downs only: none yet
        Assert.Equal(HttpStatusCode.Forbidden, county.Status);
    }

    [Fact]
    public async Task Decisions_answer_with_words_the_run_shows_its_progress_as_an_object_and_health_answers()
    {
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("resident-insurance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        var approver = fixture.Tokens.Mint("reviewer.wang", ["approver"], TimeSpan.FromMinutes(10));
        JsonElement decided = default;
        for (var i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{run.RunId}/decisions") { Content = new StringContent("""{"stage":"review","decision":"approve"}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", approver);
            using var response = await fixture.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                decided = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                break;
            }

            await Task.Delay(100);
        }

        var view = await GetAsync($"/api/runs/{run.RunId}", "Bearer " + approver);
        var health = await GetAsync("/api/health", "Bearer " + fixture.Tokens.Mint("c", ["county:440103"], TimeSpan.FromMinutes(10)));
        var anonymous = await GetAsync("/api/health", null);

        Assert.Equal("recorded", decided.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Object, view.Body.GetProperty("progress").ValueKind);
        Assert.False(string.IsNullOrEmpty(view.Body.GetProperty("progress").GetProperty("stage").GetString()));
        Assert.Equal((HttpStatusCode.OK, "healthy"), (health.Status, health.Body.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }
}

/// <summary>The OpenAPI document describes exactly the routes the local host maps, and any role may read it.</summary>
public abstract class OpenApiDocumentTests(EngineFixture fixture)
{
    [Fact]
    public async Task The_document_lists_every_route_the_local_host_maps_and_nothing_else()
    {
        var (status, document) = await fixture.CallAsync(HttpMethod.Get, "/api/openapi.json", "county:440103", "c");
        using var anonymous = await fixture.Http.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));

        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (operation.Name, path.Name["/api/".Length..])))
            .Order()
            .ToList();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.Equal(fixture.Api.Routes.Order().ToList(), described);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
