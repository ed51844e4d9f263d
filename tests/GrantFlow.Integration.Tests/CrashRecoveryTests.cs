using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Domain.Ledger;
using GrantFlow.Hosting.Local;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The local host is killed with SIGKILL at seeded random points of several runs, started again on the same
/// storage, and every run still completes with each ledger entry and each notice exactly once, totals exact.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const int Seed = 20261126;
    private const int Runs = 4;
    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-crash-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private LocalTokens _tokens = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(Path.Combine(_home, "azurite"));
        _tokens = LocalTokens.Load(Path.Combine(_home, ".grantflow", "signing-key"));
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task Runs_survive_sigkill_at_random_points_with_everything_written_exactly_once()
    {
        var random = new Random(Seed);
        var port = FreePort();
        var host = await StartHostAsync(port);
        var kills = 0;
        var runIds = new List<string>();
        try
        {
            for (var r = 0; r < Runs; r++)
            {
                var runId = await StartRunAsync(host, r % 2 == 0 ? "service-capacity" : "medical-assistance");
                runIds.Add(runId);

                // Kill points: after the start, after the review, after the approval (ledger and notices in flight).
                foreach (var (stage, user) in new[] { ("review", "reviewer.wang"), ("approval", "approver.zhao"), (string.Empty, string.Empty) })
                {
                    await Task.Delay(random.Next(0, 1200));
                    await host.KillAsync();
                    kills++;
                    host = await StartHostAsync(port);
                    if (stage.Length > 0)
                    {
                        await DecideWhenOpenAsync(host, runId, stage, user);
                    }
                }
            }

            foreach (var runId in runIds)
            {
                await WaitForStatusAsync(host, runId, "completed");
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.True(kills >= 10, $"only {kills} kill points");
        await AssertExactlyOnceAsync(runIds);
    }

    private async Task AssertExactlyOnceAsync(IReadOnlyList<string> runIds)
    {
        var tables = new TableServiceClient(_azurite!.ConnectionString);
        var queues = new QueueServiceClient(_azurite.ConnectionString);
        var expected = new Dictionary<string, long> { ["service-capacity"] = 3_505_000_000, ["medical-assistance"] = 26_686_000_000 };
        foreach (var runId in runIds)
        {
            var rows = tables.GetTableClient("GrantFlowLedger").Query<TableEntity>(e => e.PartitionKey == runId).ToList();
            Assert.Equal(31, rows.Count);
            Assert.Equal(31, rows.Select(e => e.GetString("ProvinceCode")).Distinct().Count());
            var program = rows[0].GetString("Program");
            Assert.Equal(expected[program], rows.Sum(e => e.GetInt64("AmountYuan") ?? 0));
            var hashes = rows.OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => (e.GetString("PreviousHash"), e.GetString("Hash"))).ToList();
            Assert.Equal(LedgerChain.Genesis, hashes[0].Item1);
            for (var i = 1; i < hashes.Count; i++)
            {
                Assert.Equal(hashes[i - 1].Item2, hashes[i].Item1);
            }
        }

        foreach (var code in Domain.Programs.ProvinceCodes.All)
        {
            var messages = (await queues.GetQueueClient($"notices-{code}").PeekMessagesAsync(32)).Value;
            foreach (var runId in runIds)
            {
                Assert.Equal(1, messages.Count(m => m.Body.ToString().Contains(runId, StringComparison.Ordinal)));
            }
        }
    }

    private Task<LocalHostProcess> StartHostAsync(int port) =>
        LocalHostProcess.StartAsync(_azurite!.ConnectionString, _home, port, () => Token("auditor.sun", "auditor"));

    private string Token(string user, string role) => _tokens.Mint(user, [role], TimeSpan.FromMinutes(30));

    private async Task<string> StartRunAsync(LocalHostProcess host, string program)
    {
        var body = JsonSerializer.Serialize(new
        {
            parameters = JsonDocument.Parse(EngineFixture.Parameters(program)).RootElement,
            provincesCsv = EngineFixture.ProvincesCsv,
        });
        using var response = await SendAsync(host, HttpMethod.Post, "/api/runs", Token("official.li", "finance-officer"), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("runId").GetString()!;
    }

    private async Task DecideWhenOpenAsync(LocalHostProcess host, string runId, string stage, string user)
    {
        var body = JsonSerializer.Serialize(new { stage, decision = "approve" });
        for (var i = 0; i < 600; i++)
        {
            using var response = await SendAsync(host, HttpMethod.Post, $"/api/runs/{runId}/decisions", Token(user, "approver"), body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode); // not yet awaiting this stage
            await Task.Delay(100);
        }

        Assert.Fail($"{stage} of {runId} never opened");
    }

    private async Task WaitForStatusAsync(LocalHostProcess host, string runId, string status)
    {
        for (var i = 0; i < 900; i++)
        {
            using var response = await SendAsync(host, HttpMethod.Get, $"/api/runs/{runId}", Token("auditor.sun", "auditor"), null);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (doc.RootElement.GetProperty("run").GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"run {runId} never reached {status}");
    }

    private static async Task<HttpResponseMessage> SendAsync(LocalHostProcess host, HttpMethod method, string path, string token, string? body)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
