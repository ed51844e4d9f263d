using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>
/// The soak's side of the API: the host process it starts, kills and starts again on one port, and the calls a
/// caller makes (a 503 tried again after its Retry-After, a 500 a failure: it is a bug).
/// </summary>
internal sealed class SoakClient(string hostAssembly, string? hostStorage, string home, LocalTokens tokens, IReadOnlyDictionary<string, string> environment, TextWriter? log, IReadOnlyList<string> serveArguments) : IAsyncDisposable
{
    private readonly int _port = LoopbackPorts.Free();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _answers = new();
    private LocalHostProcess? _host;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public int Kills { get; private set; }

    /// <summary>Answers seen per status.</summary>
    public IReadOnlyDictionary<int, int> Answers => new Dictionary<int, int>(_answers);

    public async Task StartAsync() =>
        _host = await LocalHostProcess.StartAsync(hostAssembly, hostStorage, home, _port, () => Token("auditor.sun", "auditor"), environment: environment, serveArguments: serveArguments);

    /// <summary>SIGKILL, then the host started again on the same storage and port.</summary>
    public async Task KillAsync(string what)
    {
        await _host!.KillAsync();
        Kills++;
        var killedAt = _clock.Elapsed;
        await StartAsync();
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{killedAt.TotalSeconds,6:0} s] kill {Kills}: {what} (answering again {(_clock.Elapsed - killedAt).TotalSeconds:0.0} s later)"));
    }

    public string Token(string user, string role) => tokens.Mint(user, [role], TimeSpan.FromMinutes(30));

    /// <summary>Sends as a caller does: a 503 (the storage out) is tried again after its Retry-After, up to 30 times.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? body)
    {
        using var http = new HttpClient { BaseAddress = _host!.Address };
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var response = await http.SendAsync(request);
            _answers.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                throw new InvalidOperationException($"{method} {path} answered 500 (a bug): {await response.Content.ReadAsStringAsync()}");
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= 30)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : wait);
        }
    }

    /// <summary>A call expected to answer <paramref name="expected"/>; its body's text.</summary>
    public async Task<string> CallAsync(HttpMethod method, string path, string token, object? body, params HttpStatusCode[] expected)
    {
        using var response = await SendAsync(method, path, token, body is null ? null : body as string ?? JsonSerializer.Serialize(body, GrantFlowJson.Options));
        var text = await response.Content.ReadAsStringAsync();
        return expected.Contains(response.StatusCode) ? text : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>A read expected to answer 200: its answer as the contract's type.</summary>
    public async Task<T> ReadAsync<T>(string path, string token) =>
        JsonSerializer.Deserialize<T>(await CallAsync(HttpMethod.Get, path, token, null, HttpStatusCode.OK), GrantFlowJson.Options)
        ?? throw new InvalidOperationException($"GET {path} answered null.");

    /// <summary>
    /// Starts a run (POST /api/runs, /api/settlements, /api/corrections, a pass-down); a 409 naming the run that holds
    /// the claim ("held by run ...") is that run (started by an attempt whose answer was lost to a kill, a dropped
    /// connection, or a 503 whose write had landed).
    /// </summary>
    public async Task<string> StartRunAsync(string path, object body, string user = "official.li", string role = "finance-officer")
    {
        using var response = await SendAsync(HttpMethod.Post, path, Token(user, role), JsonSerializer.Serialize(body, GrantFlowJson.Options));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.Conflict
            && System.Text.RegularExpressions.Regex.Match(text, "held by run ([0-9a-f]{32})") is { Success: true } holder)
        {
            return holder.Groups[1].Value;
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST {path} answered {response.StatusCode}: {text}");
        }

        return JsonSerializer.Deserialize<RunRecord>(text, GrantFlowJson.Options)!.RunId;
    }

    public async Task DecideWhenOpenAsync(string runId, string stage, string user, string role = "approver")
    {
        var body = JsonSerializer.Serialize(new DecisionBody(stage, DecisionWords.Approve), GrantFlowJson.Options);
        for (var i = 0; i < 600; i++)
        {
            using var response = await SendAsync(HttpMethod.Post, ApiRoutes.Fill(ApiRoutes.Decisions, ("runId", runId)), Token(user, role), body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"{stage} of {runId} by {user} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(100); // not yet awaiting this stage
        }

        throw new TimeoutException($"{stage} of {runId} never opened");
    }

    public async Task WaitForStatusAsync(string runId, string status)
    {
        for (var i = 0; i < 1800; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, ApiRoutes.Fill(ApiRoutes.Run, ("runId", runId)), Token("auditor.sun", "auditor"), null);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (JsonSerializer.Deserialize<RunDetail>(await response.Content.ReadAsStringAsync(), GrantFlowJson.Options)!.Run.Status == status)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        var view = await ReadAsync<RunDetail>(ApiRoutes.Fill(ApiRoutes.Run, ("runId", runId)), Token("auditor.sun", "auditor"));
        throw new TimeoutException(
            $"run {runId} never reached {status}: the run record says {view.Run.Status} ({view.Run.Reason ?? "no reason"}), " +
            $"the orchestration's own status says {(view.Progress is { } progress ? $"{progress.Stage}: {progress.Detail}" : "nothing (no instance)")}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }
}
