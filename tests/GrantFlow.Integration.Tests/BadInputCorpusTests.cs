using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Bad input over every endpoint, as an attacker and a tired official send it: each case must be answered with its
/// 4xx status, a problem+json body that names the field (and row, for CSV rows), and no row, blob, queue message or
/// orchestration instance created or changed (the whole account is compared before and after).
/// </summary>
public abstract class BadInputCorpusTests(EngineFixture fixture)
{
    private const string Run = BadInputCorpus.Run;
    private const string Notice = BadInputCorpus.Notice;
    private static readonly IReadOnlyDictionary<string, BadInputCorpus.BadRequest> Cases = BadInputCorpus.Cases;

    public static TheoryData<string> Names() => new(Cases.Keys);

    /// <summary>One completed advance (2026, service-capacity) per host's storage, that cases refer to as {run} and {notice}.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<EngineFixture, Lazy<Task<(string RunId, string ForeignNotice)>>> Subjects = new();

    private Task<(string RunId, string ForeignNotice)> SubjectAsync() =>
        Subjects.GetOrAdd(fixture, f => new Lazy<Task<(string, string)>>(async () =>
        {
            var runId = await f.CompleteRunAsync("service-capacity");
            var outbox = (GrantFlow.Workflows.Notices.NoticeOutbox)f.Engine.Services.GetService(typeof(GrantFlow.Workflows.Notices.NoticeOutbox))!;
            return (runId, (await outbox.ListForProvinceAsync("45")).First(n => n.RunId == runId).NoticeNumber);
        })).Value;

    [Fact]
    public void The_corpus_holds_at_least_150_bad_inputs_over_every_endpoint()
    {
        Assert.True(Cases.Count >= 150, $"{Cases.Count} cases");
        var routes = Cases.Values.Select(c => c.Path.Split('?')[0].Replace(Run, "x", StringComparison.Ordinal)).Select(p => p.Split('/').Length > 3 ? p.Split('/')[2] : p).Distinct().Count();
        Assert.True(routes >= 6, $"{routes} route families");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_refused_clearly_and_writes_nothing(string name)
    {
        var c = Cases[name];
        var (runId, foreignNotice) = await SubjectAsync();
        var before = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);

        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path.Replace(Run, runId, StringComparison.Ordinal).Replace(Notice, foreignNotice, StringComparison.Ordinal));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Tokens.Mint("official.li", [c.Role], TimeSpan.FromMinutes(10)));
        if (c.Body is not null)
        {
            var bytes = c.Body == "\u00ff\u00fe" ? [0xff, 0xfe, 0x7b] : Encoding.UTF8.GetBytes(c.Body.Replace(Run, runId, StringComparison.Ordinal));
            request.Content = new ByteArrayContent(bytes);
            if (c.ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
            }
        }

        using var response = await fixture.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(c.Status == (int)response.StatusCode, $"{name}: {(int)response.StatusCode}, expected {c.Status}: {text[..Math.Min(text.Length, 600)]}");
        if (c.Status != 404 || text.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(text);
            Assert.Equal(c.Status, problem.RootElement.GetProperty("status").GetInt32());
            Assert.True(text.Length < 64 * 1024, $"{name}: a {text.Length}-character answer");

            // Every refusal and each of its errors carries a stable code a client says in its user's language.
            Assert.True(problem.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }, $"{name}: no code: {text[..Math.Min(text.Length, 600)]}");
            if (problem.RootElement.TryGetProperty("errors", out var listed))
            {
                Assert.All(listed.EnumerateArray(), e => Assert.True(e.TryGetProperty("code", out var c) && c.GetString() is { Length: > 0 }, $"{name}: an error without a code: {e}"));
            }
            if (c.Field is not null)
            {
                var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
                Assert.True(errors.Count <= 100, $"{errors.Count} errors listed");
                Assert.True(
                    errors.Any(e => e.GetProperty("field").GetString()!.Contains(c.Field, StringComparison.OrdinalIgnoreCase) && (c.Row is null || (e.TryGetProperty("row", out var row) && row.ValueKind == JsonValueKind.Number && row.GetInt32() == c.Row))),
                    $"{name}: no error names {c.Field}{(c.Row is { } r ? $" on row {r}" : string.Empty)}: {text[..Math.Min(text.Length, 600)]}");
            }
        }

        var after = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        Assert.True(before.SequenceEqual(after), $"{name} changed storage: {string.Join("; ", after.Except(before).Concat(before.Except(after).Select(l => "gone: " + l)).Take(5))}");
    }
}
