using GrantFlow.Contracts;
using System.Net;
using GrantFlow.Hosting.Local;
using GrantFlow.Hosting.Local.Faults;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// GrantFlow over a storage service that misbehaves (the fault proxy in front of Azurite): runs still end with every
/// ledger entry and notice exactly once, and a caller of the API is told to retry (503 with Retry-After), never a 500.
/// </summary>
public abstract class StorageFaultTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Whether the API and the engine's functions are the Functions app's (else the local host's).</summary>
    protected abstract bool ThroughFunctionsApp { get; }

    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-faults-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private StorageFaultProxy? _proxy;
    private LocalDurableEngine? _engine;
    private GrantFlow.Hosting.Functions.FunctionsApp? _functions;
    private LocalApiHost? _api;
    private LocalTokens? _tokens;

    private const string EngineHub = "FaultTestHub";

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(Path.Combine(_home, "azurite"));
        _proxy = await StorageFaultProxy.StartAsync(_azurite.ConnectionString, rate: 0, seed: 20261206);

        // The task hub (the Durable engine's own tables, queues and leases) is spared: GrantFlow's tables and queues
        // meet the faults. A faulted engine only waits out its visibility timeouts and leases (a minute each), which
        // the kill tests prove it survives; `grantflow soak --faults` faults the engine too.
        // Only requests that name one of GrantFlow's own tables, queues or containers are faulted (account-level calls,
        // such as creating a table, may be the engine's), so every fault lands on a GrantFlow client and is counted.
        var spareHub = StorageFaultProxy.SpareTaskHub(EngineHub);
        _proxy.Spare = (service, path) => spareHub(service, path)
            || !(path.Contains("grantflow", StringComparison.OrdinalIgnoreCase) || path.Contains("/notices-", StringComparison.OrdinalIgnoreCase) || path.Contains("/ledger-anchors", StringComparison.OrdinalIgnoreCase));
        var options = new LocalEngineOptions { TaskHubName = EngineHub, StorageConnectionString = _proxy.ConnectionString, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200), StopWait = EngineFixture.TestStopWait };
        if (ThroughFunctionsApp)
        {
            var functions = _functions = await GrantFlow.Hosting.Functions.FunctionsApp.StartAsync(_proxy.ConnectionString);
            options = options with { Tasks = registry => GrantFlow.Hosting.Functions.FunctionsTasks.Register(registry, functions) };
        }

        var engine = _engine = await LocalDurableEngine.StartAsync(options);
        _tokens = LocalTokens.Load(Path.Combine(_home, "signing-key"));
        var surface = _functions is null ? null : new GrantFlow.Hosting.Functions.FunctionsHttpSurface(_functions, () => engine.Client);
        _api = await LocalApiHost.StartAsync(engine.Services.GetRequiredService<GrantFlow.Workflows.Api.GrantFlowApi>(), _tokens, LoopbackPorts.Free(), surface: surface);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            _proxy.Rate = 0; // a failed test must not leave the engine stopping against a misbehaving storage
        }

        await TestFolders.EndAsync(_home, _api, _engine, _functions, _proxy, _azurite);
    }

    [Fact]
    public async Task Runs_whose_storage_fails_one_request_in_ten_complete_with_every_entry_and_notice_exactly_once()
    {
        // What an operator's exporter would receive (in-memory here; Azure Monitor or OTLP when deployed).
        var metrics = new List<OpenTelemetry.Metrics.Metric>();
        var spans = new List<System.Diagnostics.Activity>();
        using var meterProvider = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(GrantFlow.Workflows.Telemetry.GrantFlowTelemetry.Name).AddInMemoryExporter(metrics).Build();
        using var tracerProvider = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(GrantFlow.Workflows.Telemetry.GrantFlowTelemetry.Name).AddInMemoryExporter(spans).Build();
        var runs = _engine!.Services.GetRequiredService<GrantFlow.Workflows.Runs.RunService>();
        var approvals = _engine.Services.GetRequiredService<GrantFlow.Workflows.Runs.ApprovalService>();
        var decisions = _engine.Services.GetRequiredService<DecisionRepository>();
        var ids = new List<string>();
        foreach (var year in new[] { 2026, 2027 })
        {
            ids.Add((await runs.StartAsync(EngineFixture.Parameters("service-capacity", year), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500))).RunId);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        _proxy!.Rate = 0.1; // from the first step of the runs on: computing, approvals, ledger, notices

        foreach (var id in ids)
        {
            foreach (var (stage, user) in new[] { ("review", "reviewer.wang"), ("approval", "approver.zhao") })
            {
                for (var i = 0; i < 600; i++)
                {
                    try
                    {
                        // Recorded by this call, or by an earlier one whose answer the storage dropped.
                        if ((await approvals.DecideAsync(id, stage, user, true, null)).Outcome == DecisionOutcome.Recorded
                            || await decisions.FindAsync(id, stage) is not null)
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (GrantFlow.Workflows.Http.ApiFailures.IsStorageOutage(ex))
                    {
                        // the storage failed this call: a caller tries again
                    }

                    await Task.Delay(100);
                }
            }
        }

        output.WriteLine($"approvals recorded after {clock.Elapsed}");
        foreach (var id in ids)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var done = await Retry(() => _engine.Client.WaitForInstanceCompletionAsync(id, timeout.Token), d => d);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        _proxy.Rate = 0;
        output.WriteLine($"runs completed after {clock.Elapsed}: {string.Join(", ", _proxy.Injected.Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(_proxy.InjectedTotal > 20, $"{_proxy.InjectedTotal} faults injected in {_proxy.Requests} requests");
        var ledger = _engine.Services.GetRequiredService<LedgerRepository>();
        var outbox = _engine.Services.GetRequiredService<NoticeOutbox>();
        var audit = _engine.Services.GetRequiredService<GrantFlow.Workflows.Ledger.LedgerAuditService>();
        foreach (var id in ids)
        {
            var entries = await ledger.ReadRunAsync(id);
            Assert.Equal(31, entries.Count);
            Assert.Equal(3_505_000_000, entries.Sum(e => e.AmountYuan));
            Assert.True((await audit.VerifyRunAsync(id))!.Intact);
        }

        var queues = new Azure.Storage.Queues.QueueServiceClient(_azurite!.ConnectionString);
        var perRun = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in GrantFlow.Domain.Programs.ProvinceCodes.All)
        {
            var queue = queues.GetQueueClient($"notices-{code}");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    using var json = System.Text.Json.JsonDocument.Parse(message.Body);
                    var number = json.RootElement.GetProperty("noticeNumber").GetString()!;
                    Assert.True(seen.Add(number), $"notice {number} sent twice");
                    var run = json.RootElement.GetProperty("runId").GetString()!;
                    perRun[run] = perRun.GetValueOrDefault(run) + 1;
                }
            }
        }

        Assert.All(ids, id => Assert.Equal(31, perRun.GetValueOrDefault(id)));

        // The faults show in the metrics: every injected error answer and every lost answer was counted as a failed
        // storage request (other tests running at once can only add to the counts).
        meterProvider.ForceFlush();
        tracerProvider.ForceFlush();
        long Sum(string name, string? tag = null, object? value = null)
        {
            long total = 0;
            foreach (var metric in metrics.Where(m => m.Name == name).GroupBy(m => m.Name).Select(g => g.Last()))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var matches = tag is null;
                    foreach (var t in point.Tags)
                    {
                        matches |= t.Key == tag && Equals(t.Value?.ToString(), value?.ToString());
                    }

                    total += matches ? point.GetSumLong() : 0;
                }
            }

            return total;
        }

        var injected = _proxy.Injected;
        // (A call its caller gave up on meanwhile is counted as no answer, whatever the proxy then answered: the total.)
        var failing = injected.Where(p => p.Key is StorageFaults.Error500 or StorageFaults.Error503 or StorageFaults.DropBefore or StorageFaults.DropAfter or StorageFaults.Timeout).Sum(p => p.Value);
        Assert.True(Sum("grantflow.storage.failures") >= failing, $"{Sum("grantflow.storage.failures")} failed storage requests counted, {failing} failures injected");
        Assert.True(Sum("grantflow.storage.failures", "status", "503") + Sum("grantflow.storage.failures", "status", "500") > 0);
        Assert.True(Sum("grantflow.runs.ended", "status", "completed") >= 2);
        Assert.True(Sum("grantflow.notices.sent", "type", "notice") >= 62);

        // One span per step of each run, tagged with its run id; each notice's send tagged with its number.
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            numbers.UnionWith((await ledger.ReadRunAsync(id)).Select(e => e.NoticeNumber));
            var steps = spans.Where(a => a.GetTagItem(GrantFlow.Workflows.Telemetry.GrantFlowTelemetry.RunIdTag) as string == id).Select(a => a.DisplayName).ToHashSet(StringComparer.Ordinal);
            Assert.Superset(new HashSet<string>(["grantflow compute allocation", "grantflow write ledger", "grantflow send notices", "grantflow complete run"]), steps);
        }

        var sentNumbers = spans.Where(a => a.DisplayName == "grantflow send message").Select(a => a.GetTagItem(GrantFlow.Workflows.Telemetry.GrantFlowTelemetry.NoticeNumberTag) as string).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(numbers, sentNumbers!);
    }

    [Fact]
    public async Task A_storage_outage_answers_503_with_retry_after_never_500()
    {
        using var http = new HttpClient { BaseAddress = _api!.Address };
        _proxy!.Rate = 1.0; // nothing gets through
        var answers = new List<HttpResponseMessage>();
        foreach (var (method, path, role) in new[] { (HttpMethod.Get, "/api/runs", "finance-officer"), (HttpMethod.Get, "/api/ledger/totals?fiscalYear=2026", "auditor"), (HttpMethod.Get, "/api/provinces/44/notices", "province:44") })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new("Bearer", _tokens!.Mint("someone", [role], TimeSpan.FromMinutes(5)));
            answers.Add(await http.SendAsync(request));
        }

        _proxy.Rate = 0;
        Assert.All(answers, a =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode);
            Assert.NotNull(a.Headers.RetryAfter);
            Assert.Equal("application/problem+json", a.Content.Headers.ContentType!.MediaType);
        });
    }

    /// <summary>A caller's retry of a call the storage failed (what an official does when told 503).</summary>
    private static async Task<TResult> Retry<T, TResult>(Func<Task<T>> call, Func<T, TResult> pick)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return pick(await call());
            }
            catch (Exception ex) when (attempt < 30 && GrantFlow.Workflows.Http.ApiFailures.IsStorageOutage(ex))
            {
                await Task.Delay(500);
            }
        }
    }
}
