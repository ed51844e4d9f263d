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
public sealed record SoakReport(int Kills, IReadOnlyList<string> RunIds, IReadOnlyList<string> Problems, IReadOnlyList<string>? PassDownRunIds = null);

/// <summary>
/// Pass-downs in a soak: after the central runs, <paramref name="Count"/> of them (one province each, a different one
/// each time) are passed down to their counties through the API, with 5% retained, killed like the central runs.
/// </summary>
public sealed record PassDownSoak(int Count, Func<string, string> CountiesCsvOf);

/// <summary>
/// Crash soak: runs allocation runs through <c>grantflow serve</c> in a child process, kills it with SIGKILL at
/// seeded random points (after the start, after the review, after the approval of each run), starts it again on
/// the same storage, then checks that every run completed with each ledger entry and each notice exactly once
/// and its total exact to the yuan. With <see cref="PassDownSoak"/>, provinces then pass their notices down to their
/// counties, killed at the same points of the pass-down runs, and each county entry and county notice is checked too.
/// </summary>
/// <remarks>
/// <paramref name="storage"/>: the names the host keeps its state under (its table prefix and queue prefix are given
/// to the host, and the checks read the same tables and queues);
/// <paramref name="hostStorage"/>: the storage the host uses when it is not <paramref name="connectionString"/> (the
/// fault proxy in front of it); the checks always read the storage itself.
/// </remarks>
public sealed class CrashSoak(string hostAssembly, string connectionString, string home, LocalTokens tokens, TextWriter? log = null, Workflows.Storage.GrantFlowStorageOptions? storage = null, string? hostStorage = null)
{
    private readonly Workflows.Storage.GrantFlowStorageOptions _storage = storage ?? new();

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
    public async Task<SoakReport> RunAsync(int runs, int seed, string provincesCsv, Func<string, int, string> parametersOf, PassDownSoak? passDowns = null)
    {
        ArgumentNullException.ThrowIfNull(parametersOf);
        var random = new Random(seed);
        var port = LoopbackPorts.Free();
        var host = await StartHostAsync(port);
        var kills = 0;
        var runIds = new List<string>();
        var passDownRuns = new List<(string RunId, string Province, string CentralRunId)>();

        // Three kills per run, at seeded random delays: after its start, after its review, after its approval; the
        // host is started again after each, and the decisions are taken as soon as their stage opens.
        async Task KillThroughApprovalsAsync(string runId, string label, string reviewer, string approver, string role)
        {
            foreach (var (stage, user) in new[] { ("review", reviewer), ("approval", approver), (string.Empty, string.Empty) })
            {
                var delay = random.Next(0, 1200);
                await Task.Delay(delay);
                await host.KillAsync();
                kills++;
                log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill {kills}: {label} {delay} ms after {(stage.Length > 0 ? "the previous step" : "the approval")}"));
                host = await StartHostAsync(port);
                if (stage.Length > 0)
                {
                    await DecideWhenOpenAsync(host, runId, stage, user, role);
                }
            }
        }

        try
        {
            for (var r = 0; r < runs; r++)
            {
                var program = r % 2 == 0 ? "service-capacity" : "medical-assistance";
                var runId = await StartRunAsync(host, parametersOf(program, 2026 + (r / 2)), provincesCsv);
                runIds.Add(runId);
                await KillThroughApprovalsAsync(runId, $"run {r + 1} ({program})", "reviewer.wang", "approver.zhao", "approver");
            }

            foreach (var runId in runIds)
            {
                await WaitForStatusAsync(host, runId, "completed");
            }

            for (var p = 0; p < (passDowns?.Count ?? 0) && p < runIds.Count; p++)
            {
                var central = runIds[p];
                var province = ProvinceCodes.All.ElementAt((p * 7) % ProvinceCodes.All.Count);
                var program = p % 2 == 0 ? "service-capacity" : "medical-assistance";
                var runId = await StartPassDownAsync(host, province, central, parametersOf(program, 2026 + (p / 2)), passDowns!.CountiesCsvOf(province));
                passDownRuns.Add((runId, province, central));
                await KillThroughApprovalsAsync(runId, $"pass-down {p + 1} (province {province})", "reviewer.huang", "approver.lin", "province-approver:" + province);
            }

            foreach (var (runId, _, _) in passDownRuns)
            {
                await WaitForStatusAsync(host, runId, "completed");
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        var problems = (await CheckExactlyOnceAsync(runIds)).Concat(await CheckPassDownsAsync(passDownRuns, passDowns)).ToList();
        return new SoakReport(kills, runIds, problems, [.. passDownRuns.Select(p => p.RunId)]);
    }

    /// <summary>
    /// Each pass-down: one ledger entry per county of the CSV plus the retention, chained, each naming the central entry,
    /// adding up to it to the yuan; one notice per county on the province's county queue.
    /// </summary>
    private async Task<IReadOnlyList<string>> CheckPassDownsAsync(IReadOnlyList<(string RunId, string Province, string CentralRunId)> passDownRuns, PassDownSoak? passDowns)
    {
        var problems = new List<string>();
        var ledger = new TableServiceClient(connectionString).GetTableClient(_storage.LedgerTable);
        var queues = new QueueServiceClient(connectionString);
        foreach (var (runId, province, central) in passDownRuns)
        {
            var counties = passDowns!.CountiesCsvOf(province).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l[..6]).ToHashSet(StringComparer.Ordinal);
            var centralEntry = ledger.Query<TableEntity>(e => e.PartitionKey == central).Single(e => e.GetString("ProvinceCode") == province);
            var rows = ledger.Query<TableEntity>(e => e.PartitionKey == runId).OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList();
            var countyRows = rows.Where(e => e.GetString("Kind") == LedgerEntryKinds.PassDown).ToList();
            if (countyRows.Count != counties.Count || !countyRows.Select(e => e.GetString("ProvinceCode")).ToHashSet(StringComparer.Ordinal).SetEquals(counties))
            {
                problems.Add($"pass-down {runId}: {countyRows.Count} county entries for {counties.Count} counties of {province}");
            }

            var total = rows.Sum(e => e.GetInt64("AmountYuan") ?? 0);
            if (total != centralEntry.GetInt64("AmountYuan"))
            {
                problems.Add($"pass-down {runId}: counties + retention = {total}, the central entry is {centralEntry.GetInt64("AmountYuan")}");
            }

            if (rows.Any(e => e.GetString("PassesDown") is not { } link || !link.EndsWith(":" + centralEntry.GetString("Hash"), StringComparison.Ordinal)))
            {
                problems.Add($"pass-down {runId}: an entry does not name the central entry {central}/{centralEntry.RowKey}");
            }

            CheckChain($"pass-down {runId}", rows, problems);

            var messages = (await AllMessagesAsync(queues.GetQueueClient(_storage.NoticeQueue(province + "0000"))))
                .Select(m => m.Body.ToString()).Where(b => b.Contains(runId, StringComparison.Ordinal)).ToList();
            var perCounty = counties.ToDictionary(c => c, c => messages.Count(b => b.Contains($"\"{c}\"", StringComparison.Ordinal)), StringComparer.Ordinal);
            if (messages.Count != counties.Count || perCounty.Values.Any(n => n != 1))
            {
                problems.Add($"pass-down {runId}: {messages.Count} county notices for {counties.Count} counties (expected exactly one each)");
            }
        }

        return problems;
    }

    private async Task<string> StartPassDownAsync(LocalHostProcess host, string province, string centralRunId, string parameters, string countiesCsv)
    {
        var token = Token("finance." + province, "province:" + province);
        using var list = await SendAsync(host, HttpMethod.Get, $"/api/provinces/{province}/notices", token, null);
        using var notices = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        var notice = notices.RootElement.EnumerateArray().Single(n => n.GetProperty("runId").GetString() == centralRunId).GetProperty("noticeNumber").GetString()!;
        using var ack = await SendAsync(host, HttpMethod.Post, $"/api/provinces/{province}/notices/{notice}/acknowledgement", token, null);
        if (ack.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"acknowledging {notice} answered {ack.StatusCode}: {await ack.Content.ReadAsStringAsync()}");
        }

        var body = JsonSerializer.Serialize(new { noticeNumber = notice, parameters = JsonDocument.Parse(parameters).RootElement, countiesCsv, retentionShare = 0.05m });
        using var response = await SendAsync(host, HttpMethod.Post, $"/api/provinces/{province}/pass-downs", token, body);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"starting the pass-down of {notice} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("runId").GetString()!;
    }

    private async Task<IReadOnlyList<string>> CheckExactlyOnceAsync(IReadOnlyList<string> runIds)
    {
        var problems = new List<string>();
        var ledger = new TableServiceClient(connectionString).GetTableClient(_storage.LedgerTable);
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

            CheckChain($"run {runId}", rows, problems);
        }

        foreach (var code in ProvinceCodes.All)
        {
            var messages = await AllMessagesAsync(queues.GetQueueClient(_storage.NoticeQueue(code)));
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

    /// <summary>Each row names the hash of the one before it (the first the genesis hash).</summary>
    private static void CheckChain(string label, IReadOnlyList<TableEntity> rows, List<string> problems)
    {
        var previous = LedgerChain.Genesis;
        foreach (var row in rows)
        {
            if (row.GetString("PreviousHash") != previous)
            {
                problems.Add($"{label}: chain broken at {row.RowKey}");
            }

            previous = row.GetString("Hash");
        }
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
        LocalHostProcess.StartAsync(hostAssembly, hostStorage ?? connectionString, home, port, () => Token("auditor.sun", "auditor"), environment: new Dictionary<string, string>
        {
            ["GrantFlow__Storage__TablePrefix"] = _storage.TablePrefix,
            ["GrantFlow__Storage__NoticeQueuePrefix"] = _storage.NoticeQueuePrefix,
        });

    private string Token(string user, string role) => tokens.Mint(user, [role], TimeSpan.FromMinutes(30));

    private async Task<string> StartRunAsync(LocalHostProcess host, string parameters, string provincesCsv)
    {
        var body = JsonSerializer.Serialize(new { parameters = JsonDocument.Parse(parameters).RootElement, provincesCsv });
        using var response = await SendAsync(host, HttpMethod.Post, "/api/runs", Token("official.li", "finance-officer"), body);
        if (response.StatusCode == HttpStatusCode.Conflict
            && System.Text.RegularExpressions.Regex.Match(await response.Content.ReadAsStringAsync(), "run ([0-9a-f]{32})") is { Success: true } holder)
        {
            return holder.Groups[1].Value; // started by an attempt whose answer the storage dropped: that run is this run
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"starting a run answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("runId").GetString()!;
    }

    private async Task DecideWhenOpenAsync(LocalHostProcess host, string runId, string stage, string user, string role = "approver")
    {
        var body = JsonSerializer.Serialize(new { stage, decision = "approve" });
        for (var i = 0; i < 600; i++)
        {
            using var response = await SendAsync(host, HttpMethod.Post, $"/api/runs/{runId}/decisions", Token(user, role), body);
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

    /// <summary>Answers seen per status (a 500 is a bug; a 503 is what a storage outage answers).</summary>
    public IReadOnlyDictionary<int, int> Answers => new Dictionary<int, int>(_answers);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _answers = new();

    /// <summary>Sends as a caller does: a 503 (the storage out) is tried again after its Retry-After, up to 30 times.</summary>
    private async Task<HttpResponseMessage> SendAsync(LocalHostProcess host, HttpMethod method, string path, string token, string? body)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
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

}
