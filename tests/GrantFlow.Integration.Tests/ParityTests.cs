using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using GrantFlow.Workflows.Api;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The two hosts answer alike: the same requests (every route x every caller, with a good and a bad body where there
/// is one, and query mistakes) sent to the local host and to the Functions app's triggers, each over its own storage
/// holding one completed run, give the same status, <c>Location</c>, <c>WWW-Authenticate</c>, <c>Content-Type</c>,
/// <c>Content-Disposition</c> and body once ids, hashes and times are masked. The one difference by design: an
/// anonymous caller is answered by App Service authentication in front of the Functions app (a bare 401), except on
/// the published open data, which both answer alike.
/// </summary>
public sealed partial class ParityTests(EngineFixture local, FunctionsEngineFixture functions) : IClassFixture<EngineFixture>, IClassFixture<FunctionsEngineFixture>
{
    private static readonly string?[] Callers = [null, "finance-officer", "approver", "auditor", "province:44", "province-approver:44", "county:440103"];

    private sealed record Subject(string RunId, string Notice);

    private static async Task<Subject> SubjectAsync(EngineFixture fixture)
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var outbox = (GrantFlow.Workflows.Notices.NoticeOutbox)fixture.Engine.Services.GetService(typeof(GrantFlow.Workflows.Notices.NoticeOutbox))!;
        return new Subject(runId, (await outbox.ListForProvinceAsync("44")).Single(n => n.RunId == runId).NoticeNumber);
    }

    /// <summary>The requests: (method, path, body) with {run} and {notice} for each host's own.</summary>
    private static IEnumerable<(string Method, string Path, string? Body)> Requests()
    {
        foreach (var operation in ApiOperations.All)
        {
            var path = "/api/" + operation.Route.Replace("{runId}", "{run}", StringComparison.Ordinal).Replace("{noticeNumber}", "{notice}", StringComparison.Ordinal)
                .Replace("counties/{code}", "counties/440103", StringComparison.Ordinal).Replace("{code}", "44", StringComparison.Ordinal);
            if (operation.HasBody)
            {
                yield return (operation.Method, path, "{}");
                yield return (operation.Method, path, "{\"unknown\": true, \"reason\": 7}");
            }
            else
            {
                yield return (operation.Method, path, null);
            }
        }

        // Query mistakes, a wrong identifier and no route at all.
        yield return ("get", "/api/runs?pageSize=0", null);
        yield return ("get", "/api/ledger?fiscalYear=+2026", null);
        yield return ("get", "/api/ledger/export?fiscalYear=2026&format=pdf", null);
        yield return ("get", "/api/runs/not-a-run", null);
        yield return ("get", "/api/provinces/99/notices", null);
        yield return ("get", "/api/nowhere", null);
    }

    [Fact]
    public async Task Both_hosts_give_every_caller_the_same_answers()
    {
        var subjects = await Task.WhenAll(SubjectAsync(local), SubjectAsync(functions));
        var differences = new List<string>();
        var compared = 0;
        foreach (var (method, path, body) in Requests())
        {
            foreach (var caller in Callers)
            {
                var answers = await Task.WhenAll(SendAsync(local, subjects[0], method, path, body, caller), SendAsync(functions, subjects[1], method, path, body, caller));
                compared++;
                if (caller is null && !path.StartsWith("/api/public/", StringComparison.Ordinal))
                {
                    // App Service authentication answers for the Functions app; the local host answers itself.
                    if (answers[1].Status != 401 || answers[1].Body.Length > 0 || answers[0].Status is not (401 or 404))
                    {
                        differences.Add($"anonymous {method} {path}: local {answers[0].Status}, functions {answers[1].Status} {answers[1].Body}");
                    }

                    continue;
                }

                if (answers[0] != answers[1])
                {
                    var at = answers[0].Body.Zip(answers[1].Body).TakeWhile(p => p.First == p.Second).Count();
                    differences.Add($"{caller} {method} {path}: from character {at}:\n  local     {answers[0] with { Body = answers[0].Body[Math.Max(0, at - 60)..] }}\n  functions {answers[1] with { Body = answers[1].Body[Math.Max(0, at - 60)..] }}");
                }
            }
        }

        // A good start, last (it changes each storage alike): 202 with the run and its Location.
        var start = $"{{\"parameters\": {EngineFixture.Parameters("medical-assistance", 2031)}, \"provincesCsv\": {System.Text.Json.JsonSerializer.Serialize(EngineFixture.ProvincesCsv)}}}";
        var started = await Task.WhenAll(SendAsync(local, subjects[0], "post", "/api/runs", start, "finance-officer"), SendAsync(functions, subjects[1], "post", "/api/runs", start, "finance-officer"));
        compared++;
        Assert.Equal(202, started[0].Status);
        Assert.StartsWith("/api/runs/", started[0].Location, StringComparison.Ordinal);
        Assert.Equal(started[0], started[1]);

        Assert.True(compared >= 150, $"{compared} requests compared");
        Assert.True(differences.Count == 0, $"{differences.Count} of {compared} answers differ:\n" + string.Join("\n", differences.Take(10)));
    }

    private sealed record Answer(int Status, string? Location, string? Authenticate, string? ContentType, string? Disposition, string Body)
    {
        public override string ToString() => $"{Status} location={Location} www-authenticate={Authenticate} type={ContentType} disposition={Disposition} {Body[..Math.Min(Body.Length, 300)]}";
    }

    private static async Task<Answer> SendAsync(EngineFixture fixture, Subject subject, string method, string path, string? body, string? caller)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path.Replace("{run}", subject.RunId, StringComparison.Ordinal).Replace("{notice}", subject.Notice, StringComparison.Ordinal));
        if (caller is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("parity.user", [caller], TimeSpan.FromMinutes(10)));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Http.SendAsync(request);
        var type = response.Content.Headers.ContentType?.ToString();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = type is not null && (type.Contains("json", StringComparison.Ordinal) || type.StartsWith("text/", StringComparison.Ordinal))
            ? Encoding.UTF8.GetString(bytes)
            : bytes.Length == 0 ? string.Empty : "(binary)";
        return new Answer(
            (int)response.StatusCode,
            Mask(response.Headers.Location?.ToString()),
            response.Headers.WwwAuthenticate.ToString() is { Length: > 0 } authenticate ? authenticate : null,
            type,
            Mask(response.Content.Headers.ContentDisposition?.ToString()),
            InSameOrder(Mask(text)!));
    }

    /// <summary>
    /// A list answered in time order (the chase list: most chased first, then longest waiting) can come in another order
    /// from another storage, whose notices were sent in another order: its lines are compared as a set.
    /// </summary>
    private static string InSameOrder(string body)
    {
        if (!body.StartsWith('['))
        {
            return body;
        }

        try
        {
            return "[" + string.Join(",", System.Text.Json.Nodes.JsonNode.Parse(body)!.AsArray().Select(n => n!.ToJsonString()).Order(StringComparer.Ordinal)) + "]";
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    /// <summary>Ids, hashes, notice suffixes and times differ between two storages; everything else must not.</summary>
    private static string? Mask(string? text) =>
        text is null ? null : Durations().Replace(Times().Replace(RunIds().Replace(Hashes().Replace(NoticeSuffixes().Replace(text, "$1{run8}"), "{hash}"), "{run}"), "{time}"), "${name}{seconds}");

    /// <summary>How long steps took: stage timings ("compute=0.412s") and the ledger's and notices' seconds.</summary>
    [GeneratedRegex(@"(?<name>(\b(compute|review|approval|ledger|notices|publish)=|""ledgerSeconds"":|""noticesSeconds"":))\d+(\.\d+)?(?=s|,|\})")]
    private static partial Regex Durations();

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Hashes();

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex RunIds();

    [GeneratedRegex(@"(GF-\d{4}-[a-z-]+-\d{2,6}-)[0-9a-f]{8}")]
    private static partial Regex NoticeSuffixes();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")]
    private static partial Regex Times();
}
