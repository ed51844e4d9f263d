using GrantFlow.Hosting.Local;
using GrantFlow.Hosting.Local.Soak;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The host (grantflow serve, and serve --host functions: the Functions app's triggers and functions) is killed with SIGKILL at seeded random points of several runs (3 per run), central runs and
/// provinces' pass-downs to their counties, started again on the same storage, and every run still completes with
/// each ledger entry and each notice (province and county) exactly once.
/// </summary>
public abstract class CrashRecoveryTests : IAsyncLifetime
{
    private const int Seed = 20261126;
    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-crash-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync(Path.Combine(_home, "azurite"));

    public async Task DisposeAsync()
    {
        await TestFolders.EndAsync(_home, _azurite);
    }

    /// <summary>What <c>grantflow serve --host</c> is given: "local" or "functions".</summary>
    protected abstract string Host { get; }

    [Fact]
    public async Task Runs_survive_sigkill_at_random_points_with_everything_written_exactly_once()
    {
        var tokens = LocalTokens.Load(Path.Combine(_home, ".grantflow", "signing-key"));
        // A table and queue prefix of its own: the soak checks what the host wrote under the names it was configured with.
        var storage = new GrantFlow.Workflows.Storage.GrantFlowStorageOptions { TablePrefix = "Soak", NoticeQueuePrefix = "soak-notices" };
        var soak = new CrashSoak(Path.Combine(AppContext.BaseDirectory, "grantflow.dll"), _azurite!.ConnectionString, _home, tokens, storage: storage, serveArguments: ["--host", Host]);

        var report = await soak.RunAsync(runs: 4, Seed, EngineFixture.ProvincesCsv, EngineFixture.Parameters, new PassDownSoak(2, EngineFixture.CountiesCsv), new SoakFlows(1));

        // 3 in each of 4 central runs and 2 pass-down runs; 14 in the program year that goes through every flow
        // (remainder, correction, upheld dispute, settlement: 3 each, one more in the uphold, one in the acknowledgements).
        Assert.Equal(18 + 14, report.Kills);
        Assert.Single(report.Years!);
        Assert.Equal(4, report.RunIds.Count);
        Assert.Equal(2, report.PassDownRunIds!.Count);
        Assert.Empty(report.Problems);
    }
}
