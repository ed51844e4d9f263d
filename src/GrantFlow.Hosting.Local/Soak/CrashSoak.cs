using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>What a soak did and what it found wrong (nothing, when it passed).</summary>
public sealed record SoakReport(int Kills, IReadOnlyList<string> RunIds, IReadOnlyList<string> Problems, IReadOnlyList<string>? PassDownRunIds = null, IReadOnlyList<SoakYear>? Years = null);

/// <summary>
/// Every flow in a soak: the first <paramref name="Years"/> advances each go on through their program year
/// (<see cref="YearCycleSoak"/>: remainder, correction, upheld dispute, settlement, acknowledgements), while the chaser
/// and the pass-down deadlines run on the host at soak speed (<see cref="ChaseAfter"/> and the rest, instead of days),
/// and at the end the soak waits for every deadline to pass and checks each was reminded once and flagged.
/// </summary>
public sealed record SoakFlows(int Years)
{
    public TimeSpan ChaseAfter { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan EscalateAfter { get; init; } = TimeSpan.FromSeconds(180);
    public TimeSpan PassDownReminderAfter { get; init; } = TimeSpan.FromSeconds(40);
    public TimeSpan PassDownDeadline { get; init; } = TimeSpan.FromSeconds(70);
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one sweep starts reminders (the rest wait for the next): shorter than the time between kills.</summary>
    public TimeSpan SweepBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How late a deadline's step may be and still count (a killed host resumes its timers when started again).</summary>
    public TimeSpan Slack { get; init; } = TimeSpan.FromSeconds(45);

    internal Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["GrantFlow__Chasing__ChaseAfter"] = ChaseAfter.ToString("c", CultureInfo.InvariantCulture),
        ["GrantFlow__Chasing__EscalateAfter"] = EscalateAfter.ToString("c", CultureInfo.InvariantCulture),
        ["GrantFlow__Chasing__PassDownReminderAfter"] = PassDownReminderAfter.ToString("c", CultureInfo.InvariantCulture),
        ["GrantFlow__Chasing__PassDownDeadline"] = PassDownDeadline.ToString("c", CultureInfo.InvariantCulture),
        ["GrantFlow__Chasing__SweepInterval"] = SweepInterval.ToString("c", CultureInfo.InvariantCulture),
        ["GrantFlow__Chasing__SweepBudget"] = SweepBudget.ToString("c", CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Pass-downs in a soak: after the central runs, <paramref name="Count"/> of them (one province each, a different one
/// each time) are passed down to their counties through the API, with 5% retained, killed like the central runs.
/// </summary>
public sealed record PassDownSoak(int Count, Func<string, string> CountiesCsvOf);

/// <summary>
/// Crash soak: runs allocation runs through <c>grantflow serve</c> in a child process, kills it with SIGKILL at
/// seeded random points (after the start, after the review, after the approval of each run), starts it again on
/// the same storage, then checks that every run completed with each ledger entry and each notice exactly once
/// and its total exact to the yuan. With <see cref="SoakFlows"/>, program years go on through every flow, killed
/// inside each; with <see cref="PassDownSoak"/>, provinces then pass their notices down to their counties, killed
/// at the same points of the pass-down runs, and each county entry and county notice is checked too.
/// </summary>
/// <remarks>
/// <paramref name="storage"/>: the names the host keeps its state under (its table prefix and queue prefix are given
/// to the host, and the checks read the same tables and queues);
/// <paramref name="hostStorage"/>: the storage the host uses when it is not <paramref name="connectionString"/> (the
/// fault proxy in front of it); the checks always read the storage itself.
/// </remarks>
public sealed class CrashSoak(string hostAssembly, string connectionString, string home, LocalTokens tokens, TextWriter? log = null, Workflows.Storage.GrantFlowStorageOptions? storage = null, string? hostStorage = null, IReadOnlyList<string>? serveArguments = null)
{
    private readonly Workflows.Storage.GrantFlowStorageOptions _storage = storage ?? new();
    private Func<IReadOnlyDictionary<int, int>> _answers = () => new Dictionary<int, int>();

    private static readonly Dictionary<string, long> Envelopes = new(StringComparer.Ordinal)
    {
        ["service-capacity"] = 3_505_000_000,
        ["medical-assistance"] = 26_686_000_000,
    };

    /// <summary>Answers seen per status (a 500 is a bug; a 503 is what a storage outage answers).</summary>
    public IReadOnlyDictionary<int, int> Answers => _answers();

    /// <summary>
    /// Runs <paramref name="runs"/> runs, alternating two programs, each program's runs in successive fiscal years from
    /// 2026 (one advance is released per program and year); <paramref name="parametersOf"/> gives the parameters of a
    /// program and year.
    /// </summary>
    public async Task<SoakReport> RunAsync(int runs, int seed, string provincesCsv, Func<string, int, string> parametersOf, PassDownSoak? passDowns = null, SoakFlows? flows = null)
    {
        ArgumentNullException.ThrowIfNull(parametersOf);
        var random = new Random(seed);
        var environment = new Dictionary<string, string>(flows?.Environment() ?? [], StringComparer.Ordinal)
        {
            ["GrantFlow__Storage__TablePrefix"] = _storage.TablePrefix,
            ["GrantFlow__Storage__NoticeQueuePrefix"] = _storage.NoticeQueuePrefix,
        };
        await using var client = new SoakClient(hostAssembly, hostStorage ?? connectionString, home, tokens, environment, log, serveArguments ?? []);
        _answers = () => client.Answers;
        await client.StartAsync();
        var cycle = new YearCycleSoak(client, random, provincesCsv, parametersOf);
        var runIds = new List<string>();
        var passDownRuns = new List<(string RunId, string Province, string CentralRunId)>();
        var years = new List<SoakYear>();
        var problems = new List<string>();

        for (var r = 0; r < runs; r++)
        {
            var program = r % 2 == 0 ? "service-capacity" : "medical-assistance";
            var runId = await client.StartRunAsync(ApiRoutes.Fill(ApiRoutes.Runs), new StartRunBody(JsonDocument.Parse(parametersOf(program, 2026 + (r / 2))).RootElement, provincesCsv));
            runIds.Add(runId);
            await cycle.KillThroughApprovalsAsync(runId, $"run {r + 1} ({program})");
        }

        foreach (var runId in runIds)
        {
            await client.WaitForStatusAsync(runId, RunStatuses.Completed);
        }

        for (var y = 0; y < (flows?.Years ?? 0) && y < runIds.Count; y++)
        {
            var year = await cycle.RunAsync(y, y % 2 == 0 ? "service-capacity" : "medical-assistance", 2026 + (y / 2), runIds[y]);
            years.Add(year);
            problems.AddRange(await UnacknowledgedAsync(client, year));
        }

        for (var p = 0; p < (passDowns?.Count ?? 0) && p < runIds.Count; p++)
        {
            var central = runIds[p];
            var province = ProvinceCodes.All.ElementAt((p * 7) % ProvinceCodes.All.Count);
            var program = p % 2 == 0 ? "service-capacity" : "medical-assistance";
            var runId = await StartPassDownAsync(client, province, central, parametersOf(program, 2026 + (p / 2)), passDowns!.CountiesCsvOf(province));
            passDownRuns.Add((runId, province, central));
            await cycle.KillThroughApprovalsAsync(runId, $"pass-down {p + 1} (province {province})", "reviewer.huang", "approver.lin", "province-approver:" + province);
        }

        foreach (var (runId, _, _) in passDownRuns)
        {
            await client.WaitForStatusAsync(runId, RunStatuses.Completed);
        }

        if (flows is not null)
        {
            // Every deadline of the notices sent so far passes, with its steps' slack, while the host runs on.
            var wait = flows.PassDownDeadline + flows.Slack + flows.SweepInterval;
            log?.WriteLine($"waiting {wait.TotalSeconds:0} s for the last pass-down deadlines to pass");
            await Task.Delay(wait);
        }

        // Everything recorded so far is sent while the host runs on (liveness); what is recorded after this is on its
        // way when the host is killed for good, and counted so.
        var checks = new SoakChecks(connectionString, _storage);
        problems.AddRange((await checks.UnsentGetSentAsync(TimeSpan.FromMinutes(3))).Problems);
        await client.DisposeAsync();
        problems.AddRange(CheckReleases(checks, runIds.Concat(years.Select(y => y.RemainderRunId)).ToList()));
        problems.AddRange(years.SelectMany(y => checks.CheckYear(y)));
        problems.AddRange(CheckPassDowns(checks, passDownRuns, passDowns));
        problems.AddRange(await checks.EveryMessageOnceAsync());
        log?.WriteLine($"{checks.InFlight} message(s) on their way at the final kill; {checks.RemindersOvertaken} reminder(s) overtaken by an acknowledgement or a pass-down");
        if (flows is not null)
        {
            problems.AddRange(await checks.CheckDeadlinesAsync(DateTimeOffset.UtcNow, flows.PassDownReminderAfter, flows.PassDownDeadline, flows.Slack));
        }

        return new SoakReport(client.Kills, runIds, problems, [.. passDownRuns.Select(p => p.RunId)], years);
    }

    /// <summary>Advances and remainders: 31 entries, one per province, adding up to the envelope, chained.</summary>
    private static List<string> CheckReleases(SoakChecks checks, IReadOnlyList<string> runIds)
    {
        var problems = new List<string>();
        foreach (var runId in runIds)
        {
            var rows = checks.Ledger(runId);
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

            SoakChecks.CheckChain($"run {runId}", rows, problems);
        }

        return problems;
    }

    /// <summary>
    /// Each pass-down: one ledger entry per county of the CSV plus the retention, chained, each naming the central entry,
    /// adding up to it to the yuan; one outbox row per county (each on its queue once: <see cref="SoakChecks.EveryMessageOnceAsync"/>).
    /// </summary>
    private List<string> CheckPassDowns(SoakChecks checks, IReadOnlyList<(string RunId, string Province, string CentralRunId)> passDownRuns, PassDownSoak? passDowns)
    {
        var problems = new List<string>();
        var outbox = new TableServiceClient(connectionString).GetTableClient(_storage.OutboxTable);
        foreach (var (runId, province, central) in passDownRuns)
        {
            var counties = passDowns!.CountiesCsvOf(province).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l[..6]).ToHashSet(StringComparer.Ordinal);
            var centralEntry = checks.Ledger(central).Single(e => e.GetString("ProvinceCode") == province);
            var rows = checks.Ledger(runId);
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

            SoakChecks.CheckChain($"pass-down {runId}", rows, problems);
            var notices = outbox.Query<TableEntity>(e => e.PartitionKey == runId).Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
            if (!notices.SetEquals(counties))
            {
                problems.Add($"pass-down {runId}: {notices.Count} county notices recorded for {counties.Count} counties (expected one each)");
            }
        }

        return problems;
    }

    /// <summary>Every notice the provinces acknowledged shows its acknowledgement (read through the API, as the province does).</summary>
    private static async Task<IReadOnlyList<string>> UnacknowledgedAsync(SoakClient client, SoakYear year)
    {
        var problems = new List<string>();
        foreach (var province in year.Acknowledged.Select(a => a.Province).Distinct())
        {
            var list = await client.ReadAsync<List<InboxNotice>>(ApiRoutes.Fill(ApiRoutes.ProvinceNotices, ("code", province)), client.Token("auditor.sun", "auditor"));
            var acknowledged = list.Where(n => n.AcknowledgedAt is not null).Select(n => n.NoticeNumber).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(year.Acknowledged.Where(a => a.Province == province && !acknowledged.Contains(a.Notice)).Select(a => $"notice {a.Notice} of {province}: acknowledged, but shows no acknowledgement"));
        }

        return problems;
    }

    private static async Task<string> StartPassDownAsync(SoakClient client, string province, string centralRunId, string parameters, string countiesCsv)
    {
        var token = client.Token("finance." + province, "province:" + province);
        var notices = await client.ReadAsync<List<InboxNotice>>(ApiRoutes.Fill(ApiRoutes.ProvinceNotices, ("code", province)), token);
        var notice = notices.Single(n => n.RunId == centralRunId).NoticeNumber;
        await client.CallAsync(HttpMethod.Post, ApiRoutes.Fill(ApiRoutes.Acknowledgement, ("code", province), ("noticeNumber", notice)), token, null, HttpStatusCode.OK);
        var body = new PassDownBody(notice, JsonDocument.Parse(parameters).RootElement, countiesCsv, RetentionShare: 0.05m);
        return await client.StartRunAsync(ApiRoutes.Fill(ApiRoutes.ProvincePassDowns, ("code", province)), body, "finance." + province, "province:" + province);
    }
}
