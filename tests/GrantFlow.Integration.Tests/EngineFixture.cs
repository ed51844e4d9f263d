using GrantFlow.Hosting.Local;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Azurite (fresh data folder) and the real local Durable Task engine, shared by a test class.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "grantflow-it-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private LocalDurableEngine? _engine;

    public LocalDurableEngine Engine => _engine ?? throw new InvalidOperationException("not started");

    public RunService Runs => Engine.Services.GetRequiredService<RunService>();

    public ApprovalService Approvals => Engine.Services.GetRequiredService<ApprovalService>();

    public static string ProvincesCsv => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"));

    public static string Parameters(string program) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "runs", $"{program}-2026.json"));

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(_dataDirectory);
        _engine = await LocalDurableEngine.StartAsync(new LocalEngineOptions { StorageConnectionString = _azurite.ConnectionString, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200) });
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
