using GrantFlow.Contracts;
using GrantFlow.Hosting.Local;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Azurite (fresh data folder) and the real local Durable Task engine, shared by a test class.</summary>
public class EngineFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "grantflow-it-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private LocalDurableEngine? _engine;
    private LocalApiHost? _api;
    private GrantFlow.Hosting.Functions.FunctionsApp? _functions;

    /// <summary>
    /// Whether the API and the orchestrations are the Functions app's (its HTTP triggers behind App Service
    /// authentication, its orchestrator and activity functions on the engine) rather than the local host's own.
    /// </summary>
    public virtual bool ThroughFunctionsApp => false;

    public LocalDurableEngine Engine => _engine ?? throw new InvalidOperationException("not started");

    /// <summary>The local API host (its mapped routes are checked against the OpenAPI document).</summary>
    public LocalApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public LocalTokens Tokens { get; private set; } = null!;

    public string StorageConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new();

    public RunService Runs => Engine.Services.GetRequiredService<RunService>();

    public ApprovalService Approvals => Engine.Services.GetRequiredService<ApprovalService>();

    public static string ProvincesCsv => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"));

    /// <summary>The bundled county rows of one province, as a county CSV (header included).</summary>
    public static string CountiesCsv(string province)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "counties-2026.csv"));
        return string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Where(l => l.StartsWith(province, StringComparison.Ordinal)))) + "\r\n";
    }

    /// <summary>The bundled rows of the prefectures (4-digit codes) or counties (6-digit) under a code, as a CSV (header included).</summary>
    public static string PrefecturesCsv(string under)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "prefectures-2026.csv"));
        return string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Where(l => l.StartsWith(under, StringComparison.Ordinal)))) + "\r\n";
    }

    /// <summary>
    /// Sends a request to the API as <paramref name="user"/> in <paramref name="role"/> (anonymous when the role is
    /// null); a string body is sent as it is, any other object as JSON.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? role, string user = "someone", object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (role is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Mint(user, [role], TimeSpan.FromMinutes(10)));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    /// <summary>As <see cref="SendAsync"/>; returns the status and the JSON body (default when empty).</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Body)> CallAsync(HttpMethod method, string path, string role, string user, object? body = null)
    {
        using var response = await SendAsync(method, path, role, user, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? System.Text.Json.JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public static string Parameters(string program) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "runs", $"{program}-2026.json"));

    /// <summary>The bundled parameters with a fiscal year given (one advance is released per program and year).</summary>
    public static string Parameters(string program, int fiscalYear)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Parameters(program))!;
        node["fiscalYear"] = fiscalYear;
        return node.ToJsonString();
    }

    private readonly Dictionary<string, int> _nextYear = new(StringComparer.Ordinal);

    /// <summary>
    /// Parameters for a new advance of the program in this fixture's storage: 2026 the first time, then 2027, 2028...
    /// (one advance is released per program and year).
    /// </summary>
    public string ParametersFor(string program)
    {
        lock (_nextYear)
        {
            var year = _nextYear.GetValueOrDefault(program, 2026);
            _nextYear[program] = year + 1;
            return Parameters(program, year);
        }
    }

    /// <summary>Starts a run, approves it (review, then approval) and waits for it to complete.</summary>
    public async Task<string> CompleteRunAsync(string program = "service-capacity")
    {
        var run = await Runs.StartAsync(ParametersFor(program), ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        await ApproveAndCompleteAsync(run.RunId);
        return run.RunId;
    }

    /// <summary>Plays the reviewer and the approver as soon as each stage opens, then waits for the run to complete.</summary>
    public async Task<OrchestrationMetadata> ApproveAndCompleteAsync(string runId)
    {
        foreach (var (stage, user) in new[] { (GrantFlow.Domain.Approvals.ApprovalStages.Review, "reviewer.wang"), (GrantFlow.Domain.Approvals.ApprovalStages.Approval, "approver.zhao") })
        {
            for (var i = 0; i < 300 && (await Approvals.DecideAsync(runId, stage, user, true, null)).Outcome != DecisionOutcome.Recorded; i++)
            {
                await Task.Delay(100);
            }
        }

        // A run completes in about a second on a quiet machine; the wait is long because CI runs two test assemblies, each
        // with its own Azurite and engines, on two cores. Past it, the failure says where the run stood.
        OrchestrationMetadata done;
        using (var timeout = new CancellationTokenSource(CompletionWait))
        {
            try
            {
                done = await Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                var orchestration = await Engine.Client.GetInstanceAsync(runId);
                var record = await Runs.GetRecordAsync(runId);
                throw new TimeoutException($"run {runId} did not complete within {CompletionWait.TotalSeconds} s: its record says {record?.Status ?? "nothing"}, its orchestration {orchestration?.RuntimeStatus.ToString() ?? "does not exist"} (last updated {orchestration?.LastUpdatedAt:O}, custom status {orchestration?.SerializedCustomStatus ?? "none"})");
            }
        }

        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"run {runId} ended {done.RuntimeStatus}");
        }

        return done;
    }

    /// <summary>How long a test's engine may take to release its partitions before its Azurite stops (see <see cref="LocalEngineOptions.StopWait"/>).</summary>
    public static readonly TimeSpan TestStopWait = TimeSpan.FromSeconds(70);

    /// <summary>How long <see cref="ApproveAndCompleteAsync"/> waits for an approved run to complete.</summary>
    public static readonly TimeSpan CompletionWait = TimeSpan.FromSeconds(180);

    /// <summary>Configuration for the engine (a derived fixture sets short time scales).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(_dataDirectory);
        var options = new LocalEngineOptions { StorageConnectionString = _azurite.ConnectionString, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200), Configuration = Settings, StopWait = TestStopWait };
        if (ThroughFunctionsApp)
        {
            var functions = _functions = await GrantFlow.Hosting.Functions.FunctionsApp.StartAsync(_azurite.ConnectionString, Settings);
            options = options with { Tasks = registry => GrantFlow.Hosting.Functions.FunctionsTasks.Register(registry, functions) };
        }

        _engine = await LocalDurableEngine.StartAsync(options);
        Tokens = LocalTokens.Load(Path.Combine(_dataDirectory, "signing-key"));
        var surface = _functions is null ? null : new GrantFlow.Hosting.Functions.FunctionsHttpSurface(_functions, () => Engine.Client);
        _api = await LocalApiHost.StartAsync(_engine.Services.GetRequiredService<GrantFlow.Workflows.Api.GrantFlowApi>(), Tokens, LoopbackPorts.Free(), surface: surface);
        Http.BaseAddress = _api.Address;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await TestFolders.EndAsync(_dataDirectory, _api, _engine, _functions, _azurite);
    }
}

/// <summary>The same storage and engine, with the Functions app as what answers and what runs (see <see cref="EngineFixture.ThroughFunctionsApp"/>).</summary>
public class FunctionsEngineFixture : EngineFixture
{
    public override bool ThroughFunctionsApp => true;
}
