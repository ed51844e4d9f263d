using System.Globalization;
using DurableTask.AzureStorage;
using DurableTask.Core;
using GrantFlow.Workflows;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Hosting.Local;

/// <summary>Settings of the local engine.</summary>
public sealed record LocalEngineOptions
{
    public required string StorageConnectionString { get; init; }
    public string TaskHubName { get; init; } = DefaultTaskHubName;

    public const string DefaultTaskHubName = "GrantFlowHub";

    /// <summary>
    /// Activities one engine runs at once. The provider's default is 10: a run's quick steps (read a decision, set a
    /// status) then queue behind other runs' ledger and notice writes, which wait on storage, not on the CPU.
    /// </summary>
    public int MaxConcurrentActivities { get; init; } = 64;

    /// <summary>How long the engine may sleep between polls of an idle queue (lower = snappier, more requests).</summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a dead host's partition leases stay locked (dequeued messages: twice that). Shorter than Azure's
    /// defaults (30 s leases, 5 min visibility), so a host killed with SIGKILL and started again resumes quickly;
    /// it must stay well above the time a message waits in the engine before its work completes, or busy hubs see
    /// messages reappear (PopReceiptMismatch). Environment: GrantFlow__Engine__CrashRecoverySeconds.
    /// </summary>
    public TimeSpan CrashRecoveryInterval { get; init; } = TimeSpan.FromSeconds(30);

    public const string CrashRecoveryVariable = "GrantFlow__Engine__CrashRecoverySeconds";

    /// <summary>The crash-recovery interval from the environment, or the default.</summary>
    public static TimeSpan CrashRecoveryFromEnvironment(TimeSpan fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(CrashRecoveryVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : fallback;

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>
    /// How long stopping the engine waits for the orchestration service to release its partitions. Short for a
    /// command stopped by Ctrl+C (what is not released expires like after a kill, which the engine survives); long in
    /// a process that goes on after the engine, whose storage then stops (tests): a stop cut short leaves the
    /// provider's partition manager retrying its lease table against a closed port for up to ten minutes.
    /// </summary>
    public TimeSpan StopWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The orchestrations and activities the engine runs under GrantFlow's names: its own registrations (null, the
    /// default) or another set (the Functions app's orchestrator and activity functions).
    /// </summary>
    public Action<Microsoft.DurableTask.DurableTaskRegistry>? Tasks { get; init; }

    /// <summary>More orchestrations and activities beside GrantFlow's (benchmarks register their baseline here).</summary>
    public Action<Microsoft.DurableTask.DurableTaskRegistry>? AdditionalTasks { get; init; }

    /// <summary>Extra configuration (e.g. GrantFlow:Storage:TablePrefix).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// A real Durable Task engine in-process: the gRPC sidecar (TaskHubGrpcServer) over the Azure Storage orchestration
/// service, and a Durable Task worker and client talking to it over gRPC - the same split as the Functions host and
/// its isolated worker. All state is in storage, so a killed process resumes where it was when started again.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private readonly IHost _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;
    private readonly GuardedOrchestrationService _service;
    private readonly TimeSpan _stopWait;

    private LocalDurableEngine(IHost sidecar, IHost worker, GrpcChannel channel, GuardedOrchestrationService service, TimeSpan stopWait)
    {
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        _service = service;
        _stopWait = stopWait;
    }

    public IServiceProvider Services => _worker.Services;

    public DurableTaskClient Client => _worker.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The gRPC channel to the sidecar (for tools and tests that read history directly).</summary>
    public GrpcChannel SidecarChannel => _channel;

    public static async Task<LocalDurableEngine> StartAsync(LocalEngineOptions options, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString),
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            LeaseInterval = options.CrashRecoveryInterval,
            LeaseRenewInterval = options.CrashRecoveryInterval / 4,
            LeaseAcquireInterval = options.CrashRecoveryInterval / 4,
            ControlQueueVisibilityTimeout = options.CrashRecoveryInterval * 2,
            WorkItemQueueVisibilityTimeout = options.CrashRecoveryInterval * 2,
        });
        await service.CreateIfNotExistsAsync();

        // A free port can be taken by another process between our finding it and Kestrel binding it (tests start
        // many hosts at once): try another.
        string address;
        IHost sidecar;
        for (var attempt = 1; ; attempt++)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Free()}");
            address = url;
            sidecar = Host.CreateDefaultBuilder()
                .ConfigureLogging(logging => logging.SetMinimumLevel(options.MinimumLogLevel).AddFilter("Azure.Core", LogLevel.Error))
                .ConfigureWebHostDefaults(web =>
                {
                    web.UseUrls(url);
                    web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                    web.ConfigureServices(services =>
                    {
                        services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
                        services.AddGrpc();
                        services.AddSingleton(provider => new GuardedOrchestrationService(service, provider.GetRequiredService<ILoggerFactory>().CreateLogger("GrantFlow.Engine"), StopTimeout));
                        services.AddSingleton<IOrchestrationService>(provider => provider.GetRequiredService<GuardedOrchestrationService>());
                        services.AddSingleton<IOrchestrationServiceClient>(service);
                        services.AddSingleton<TaskHubGrpcServer>();
                    });
                    web.Configure(app =>
                    {
                        app.UseRouting();
                        app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                    });
                })
                .Build();
            try
            {
                await sidecar.StartAsync(cancellationToken);
                break;
            }
            catch (IOException) when (attempt < 5)
            {
                sidecar.Dispose();
            }
        }

        var channel = GrpcChannel.ForAddress(address);
        var worker = Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(options.Configuration))
            .ConfigureLogging(logging => logging.SetMinimumLevel(options.MinimumLogLevel).AddFilter("Azure.Core", LogLevel.Error))
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
                services.AddSingleton(TimeProvider.System);
                services.AddGrantFlowWorkflows(context.Configuration, options.StorageConnectionString);
                services.AddGrantFlowRunServices();
                services.AddGrantFlowLocalTelemetry(context.Configuration);
                configureServices?.Invoke(services);
                services.AddDurableTaskWorker(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.AddTasks(registry =>
                    {
                        if (options.Tasks is { } tasks)
                        {
                            tasks(registry);
                        }
                        else
                        {
                            registry.AddGrantFlowTasks();
                        }

                        registry.AddOrchestratorFunc(ReadinessProbe, _ => Task.FromResult(true));
                        options.AdditionalTasks?.Invoke(registry);
                    });
                });
                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync(cancellationToken);
        var engine = new LocalDurableEngine(sidecar, worker, channel, sidecar.Services.GetRequiredService<GuardedOrchestrationService>(), options.StopWait);
        try
        {
            await engine.WaitUntilDispatchingAsync(cancellationToken);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        return engine;
    }

    /// <summary>The orchestration that proves the engine dispatches (local engine only; not a GrantFlow workflow).</summary>
    private const string ReadinessProbe = "GrantFlowEngineReadinessProbe";

    /// <summary>
    /// Returns once an orchestration has run end to end. The sidecar starts its orchestration service in the
    /// background after its host has started; stopping it before that start has run throws on a thread-pool thread
    /// in the Durable Task libraries (a NullReferenceException in AzureStorageOrchestrationService.StopAsync) and
    /// takes the whole process down.
    /// </summary>
    private async Task WaitUntilDispatchingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var instanceId = "engine-readiness-" + Guid.NewGuid().ToString("N");
        await Client.ScheduleNewOrchestrationInstanceAsync(ReadinessProbe, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), timeout.Token);
        await Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        await Client.PurgeInstanceAsync(instanceId, cancellation: timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _worker.StopAsync(timeout.Token);
        _worker.Dispose();
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.StopAsync(timeout.Token);

        // The sidecar only starts stopping the orchestration service; its storage must outlive that stop.
        await _service.Stopped.WaitAsync(_stopWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _sidecar.Dispose();
    }

    /// <summary>How long the orchestration service may take to release its partitions when the engine stops.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

}
