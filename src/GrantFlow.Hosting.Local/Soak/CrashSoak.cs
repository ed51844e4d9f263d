using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>What a soak did and what it found wrong (nothing, when it passed).</summary>
public sealed record SoakReport(int Kills, IReadOnlyList<string> RunIds, IReadOnlyList<string> Problems);

/// <summary>
/// Crash soak: runs allocation runs through <c>grantflow serve</c> in a child process, kills it with SIGKILL at
/// seeded random points (after the start, after the review, after the approval of each run), starts it again on
/// the same storage, then checks that every run completed with each ledger entry and each notice exactly once
/// and its total exact to the yuan.
/// </summary>
public sealed class CrashSoak(string hostAssembly, string connectionString, string home, LocalTokens tokens, TextWriter? log = null)
{
    private static readonly Dictionary<string, long> Envelopes = new(StringComparer.Ordinal)
    {
        ["service-capacity"] = 3_505_000_000,
        ["medical-assistance"] = 26_686_000_000,
    };

    /// <summary>
    /// Runs <paramref name="runs"/> runs, alternating two programs, each program's runs in successive fiscal years from
    /// 2026 (one advance is released per program and year); <paramref name="parametersOf"/> gives the parameters of a
    /// program and year.
    /// </summary>
    public async Task<SoakReport> RunAsync(int runs, int seed, string provincesCsv, Func<string, int, string> parametersOf)
    {
        ArgumentNullException.ThrowIfNull(parametersOf);
        var random = new Random(seed);
        var port = LoopbackPorts.Free();
        var host = await StartHostAsync(port);
        var kills = 0;
        var runIds = new List<string>();
        try
        {
            for (var r = 0; r < runs; r++)
            {
                var program = r % 2 == 0 ? "service-capacity" : "medical-assistance";
                var runId = await StartRunAsync(host, parametersOf(program, 2026 + (r / 2)), provincesCsv);
                runIds.Add(runId);
                foreach (var (stage, user) in new[] { ("review", "reviewer.wang"), ("approval", "approver.zhao"), (string.Empty, string.Empty) })
                {
                    var delay = random.Next(0, 1200);
                    await Task.Delay(delay);
                    await host.KillAsync();
                    kills++;
                    log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill {kills}: run {r + 1} ({program}) {delay} ms after {(stage.Length > 0 ? "the previous step" : "the approval")}"));
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

        return new SoakReport(kills, runIds, await CheckExactlyOnceAsync(runIds));
    }

    private async Task<IReadOnlyList<string>> CheckExactlyOnceAsync(IReadOnlyList<string> runIds)
    {
        var problems = new List<string>();
        var ledger = new TableServiceClient(connectionString).GetTableClient("GrantFlowLedger");
        var queues = new QueueServiceClient(connectionString);
        foreach (var runId in runIds)
        {
            var rows = ledger.Query<TableEntity>(e => e.PartitionKey == runId).OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList();
            var provinces = rows.Select(e => e.GetString("ProvinceCode")).Distinct().Count();
            if (rows.Count != 31 || provinces != 31)
            {
                problems.Add($"run {runId}: {rows.Count} ledger entries for {provinces} provinces (expected 31 and 31)");
                continue;
            }

            var total = rows.Sum(e => e.GetInt64("AmountYuan") ?? 0);
            if (total != Envelopes[rows[0].GetString("Program")])
            {
                problems.Add($"run {runId}: ledger total {total} differs from the envelope");
            }

            var previous = LedgerChain.Genesis;
            foreach (var row in rows)
            {
                if (row.GetString("PreviousHash") != previous)
                {
                    problems.Add($"run {runId}: chain broken at {row.RowKey}");
                }

                previous = row.GetString("Hash");
            }
        }

        foreach (var code in ProvinceCodes.All)
        {
            var messages = await AllMessagesAsync(queues.GetQueueClient($"notices-{code}"));
            foreach (var runId in runIds)
            {
                var count = messages.Count(m => m.Body.ToString().Contains(runId, StringComparison.Ordinal));
                if (count != 1)
                {
                    problems.Add($"province {code}: {count} notices of run {runId} (expected 1)");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Every message on the queue, at any depth: the soak is the last consumer, so it receives them all (each hidden for
    /// 5 minutes, enough to count) instead of peeking the first 32.
    /// </summary>
    private static async Task<List<Azure.Storage.Queues.Models.QueueMessage>> AllMessagesAsync(QueueClient queue)
    {
        var all = new List<Azure.Storage.Queues.Models.QueueMessage>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            all.AddRange(batch);
        }
    }

    private Task<LocalHostProcess> StartHostAsync(int port) =>
        LocalHostProcess.StartAsync(hostAssembly, connectionString, home, port, () => Token("auditor.sun", "auditor"));

    private string Token(string user, string role) => tokens.Mint(user, [role], TimeSpan.FromMinutes(30));

    private async Task<string> StartRunAsync(LocalHostProcess host, string parameters, string provincesCsv)
    {
        var body = JsonSerializer.Serialize(new { parameters = JsonDocument.Parse(parameters).RootElement, provincesCsv });
        using var response = await SendAsync(host, HttpMethod.Post, "/api/runs", Token("official.li", "finance-officer"), body);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"starting a run answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

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

            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"{stage} of {runId} answered {response.StatusCode}");
            }

            await Task.Delay(100); // not yet awaiting this stage
        }

        throw new TimeoutException($"{stage} of {runId} never opened");
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

        using var last = await SendAsync(host, HttpMethod.Get, $"/api/runs/{runId}", Token("auditor.sun", "auditor"), null);
        using var view = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        var record = view.RootElement.GetProperty("run");
        throw new TimeoutException(
            $"run {runId} never reached {status}: the run record says {record.GetProperty("status").GetString()} ({(record.TryGetProperty("reason", out var reason) ? reason.GetString() : "no reason")}), " +
            $"the orchestration's own status says {(view.RootElement.TryGetProperty("progress", out var progress) ? progress.ToString() : "nothing (no instance)")}");
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

}
