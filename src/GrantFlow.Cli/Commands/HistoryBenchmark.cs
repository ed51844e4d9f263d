using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GrantFlow.Contracts;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Reports;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow bench history</c>: what everyday requests cost once years of releases have piled up. One probe run
/// (a real durable advance) in a year of its own; each request timed on the nearly empty account; then a history
/// seeded in bulk (years x programs, each with its advance, remainder, settlement, correction and a pass-down per
/// province; not timed, its duration said); the same requests timed again, each with its ratio. Two raw SDK reads
/// (a point read, one partition's page) measured the same way say how much Azurite itself slows as it fills.
/// </summary>
public static class HistoryBenchmark
{
    private const int ProbeYear = 2060;
    private const int Repeat = 5;

    private const string RawPoint = "raw SDK: point read of a run record";
    private const string RawPartition = "raw SDK: one run's ledger partition";
    private const string RawIndexPage = "raw SDK: first 50 rows of the runs index";
    private const string RawYear = "raw SDK: the probe year's ledger index (key range)";

    /// <summary>The raw SDK read of the same shape as each request (what Azurite's own growth is measured by).</summary>
    private static readonly Dictionary<string, string> Shape = new(StringComparer.Ordinal)
    {
        ["list runs, page 1"] = RawIndexPage,
        ["list runs, page 50"] = RawIndexPage,
        ["list runs of one program-year"] = RawIndexPage,
        ["list runs awaiting review"] = RawIndexPage,
        ["read a run"] = RawPartition,
        ["ledger query, one province-year"] = RawPartition,
        ["verify one run"] = RawPartition,
        ["verify one year"] = RawYear,
        ["monthly report"] = RawYear,
        ["start a run"] = RawPartition,
    };

    public static Command Create()
    {
        var yearsOption = new Option<int>("--years") { Description = "Fiscal years of history (Azurite slows as it fills: a decade of 100 programs takes hours to seed there).", DefaultValueFactory = _ => 1 };
        var programsOption = new Option<int>("--programs") { Description = "Programs per year (of the catalog's 103).", DefaultValueFactory = _ => 100 };
        var countiesOption = new Option<int>("--counties") { Description = "Counties each province passes each program down to.", DefaultValueFactory = _ => 30 };
        var command = new Command("history", "Time everyday requests on an empty account and on one holding years of history, as ratios.") { yearsOption, programsOption, countiesOption };
        foreach (var (option, max) in new[] { (yearsOption, 30), (programsOption, 103), (countiesOption, 200) })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() is var value && (value < 1 || value > max))
                {
                    r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be 1 to {max}."));
                }
            });
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var data = Path.Combine(Path.GetTempPath(), "grantflow-bench-history-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using var environment = await EmbeddedEnvironment.StartAsync(data, output, cancellationToken, crashRecovery: TimeSpan.FromMinutes(30));
                return await MeasureAsync(environment.Engine.Services, output, parse.GetValue(yearsOption), parse.GetValue(programsOption), parse.GetValue(countiesOption), cancellationToken);
            }
            finally
            {
                if (Directory.Exists(data))
                {
                    Directory.Delete(data, recursive: true);
                }
            }
        });
        return command;
    }

    private static async Task<int> MeasureAsync(IServiceProvider services, TextWriter output, int years, int programCount, int counties, CancellationToken cancellationToken)
    {
        var probe = await ProbeRunAsync(services, cancellationToken);
        await output.WriteLineAsync($"probe run {probe} completed ({ProbeYear} resident-insurance advance); timing requests on the empty account...");
        var empty = await TimeAllAsync(services, probe, 0, pageFifty: false, cancellationToken);

        var seed = new HistorySeed(services, counties);
        var programs = GrantProgramCatalog.All.Take(programCount).ToList();
        var work = Enumerable.Range(ProbeYear - 1 - years + 1, years).SelectMany(y => programs.Select(p => (Program: p, Year: y))).ToList();
        var watch = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, token) =>
        {
            await seed.SeedAsync(item.Program, item.Year, token);
            if (Interlocked.Increment(ref done) % Math.Max(1, work.Count / 20) == 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  seeded {done:N0} of {work.Count:N0} program-years: {seed.Runs:N0} runs, {seed.Entries:N0} ledger entries ({watch.Elapsed.TotalSeconds:N0} s)"));
            }
        });
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"history seeded (not timed below): {years} years x {programs.Count} programs, {seed.Runs:N0} runs, {seed.Entries:N0} ledger entries (and as many index rows and filed notices) in {watch.Elapsed.TotalMinutes:N1} min"));
        var full = await TimeAllAsync(services, probe, Repeat + 1, pageFifty: true, cancellationToken);

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| request (median of {Repeat}) | empty account | with the history | ratio | raw SDK read of the same shape, ratio | ratio net of Azurite's own growth |"));
        await output.WriteLineAsync("|---|---|---|---|---|---|");
        foreach (var (name, after) in full)
        {
            var before = empty.TryGetValue(name, out var b) ? b : empty["list runs, page 1"];
            var raw = Shape.TryGetValue(name, out var shape) ? full[shape] / empty[shape] : (double?)null;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| {name}{(empty.ContainsKey(name) ? string.Empty : " (vs page 1 empty)")} | {before:N1} ms | {after:N1} ms | {after / before:N2}x | {(raw is { } r ? $"{r:N2}x" : "-")} | {(raw is { } q ? $"{after / before / q:N2}x" : "-")} |"));
        }

        return GrantFlowCli.Success;
    }

    /// <summary>A real advance through the engine (both approvals played), in a year no seeded run uses.</summary>
    private static async Task<string> ProbeRunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var runService = services.GetRequiredService<RunService>();
        var csv = await File.ReadAllTextAsync(BundledData.ProvincesCsv, cancellationToken);
        var program = GrantProgramCatalog.Get(GrantProgramCatalog.ResidentInsurance);
        var run = await runService.StartAsync(DemoPrograms.Parameters(program, ProbeYear), csv, DemoCommand.Initiator, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), cancellationToken: cancellationToken);
        await DemoCommand.ApproveAsync(run.RunId, services.GetRequiredService<ApprovalService>(), runService, Spectre.Console.AnsiConsole.Console, quiet: true, cancellationToken);
        await services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(run.RunId, cancellationToken);
        return run.RunId;
    }

    private static async Task<Dictionary<string, double>> TimeAllAsync(IServiceProvider services, string probe, int startOffset, bool pageFifty, CancellationToken cancellationToken)
    {
        var api = services.GetRequiredService<GrantFlowApi>();
        var runs = services.GetRequiredService<RunService>();
        var audit = services.GetRequiredService<LedgerAuditService>();
        var ledger = services.GetRequiredService<LedgerQueryService>();
        var report = services.GetRequiredService<MonthlyFundReport>();
        var storage = services.GetRequiredService<GrantFlowTables>();
        var officer = new ApiCaller("official.li", new HashSet<string>(StringComparer.Ordinal) { GrantFlowRoles.FinanceOfficer });
        var now = DateTimeOffset.UtcNow;
        var times = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [RawPoint] = await TimeAsync(async () => await storage.Runs.GetEntityAsync<Azure.Data.Tables.TableEntity>(probe, "run", cancellationToken: cancellationToken)),
            [RawPartition] = await TimeAsync(() => Task.FromResult(storage.Ledger.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == probe, cancellationToken: cancellationToken).Count())),
            [RawIndexPage] = await TimeAsync(() => Task.FromResult(storage.RunIndex.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == RunIndex.AllRuns, 50, cancellationToken: cancellationToken).AsPages().First().Values.Count)),
            [RawYear] = await TimeAsync(() => Task.FromResult(storage.LedgerIndex.Query<Azure.Data.Tables.TableEntity>(LedgerQueryService.YearFilter(ProbeYear), select: ["RunId"], cancellationToken: cancellationToken).Count())),
            ["list runs, page 1"] = await TimeAsync(() => ListAsync(api, officer, string.Empty, cancellationToken)),
            ["list runs of one program-year"] = await TimeAsync(() => ListAsync(api, officer, $"program={GrantProgramCatalog.ResidentInsurance}&fiscalYear={ProbeYear}", cancellationToken)),
            ["list runs awaiting review"] = await TimeAsync(() => ListAsync(api, officer, "status=" + RunStatuses.AwaitingStage("review"), cancellationToken)),
            ["read a run"] = await TimeAsync(() => runs.GetAsync(probe, cancellationToken)),
            ["ledger query, one province-year"] = await TimeAsync(() => ledger.PageAsync(new LedgerQuery(ProbeYear, Province: "44"), 100, null, cancellationToken)),
            ["verify one run"] = await TimeAsync(() => audit.VerifyRunAsync(probe, cancellationToken)),
            ["verify one year"] = await TimeAsync(() => audit.VerifyAllAsync(ProbeYear, cancellationToken)),
            ["monthly report"] = await TimeAsync(() => report.BuildAsync(ProbeYear, now.Year, now.Month, cancellationToken)),
        };
        if (pageFifty)
        {
            string? token = null;
            for (var page = 1; page < 50; page++)
            {
                token = await ListAsync(api, officer, token is null ? string.Empty : "continuationToken=" + token, cancellationToken);
            }

            times["list runs, page 50"] = await TimeAsync(() => ListAsync(api, officer, "continuationToken=" + token, cancellationToken));
        }

        // Starts last: each leaves a run awaiting review (the guards of a start read its program-year and claims).
        var starts = IllustrativePrograms.All.Skip(startOffset).Take(Repeat + 1).ToList();
        var csv = await File.ReadAllTextAsync(BundledData.ProvincesCsv, cancellationToken);
        var next = 0;
        times["start a run"] = await TimeAsync(() => runs.StartAsync(DemoPrograms.Parameters(starts[next++], ProbeYear), csv, DemoCommand.Initiator, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), cancellationToken: cancellationToken));
        return times;
    }

    /// <summary>One page of GET /api/runs as the handler answers it (pages of 50); returns its continuation.</summary>
    private static async Task<string?> ListAsync(GrantFlowApi api, ApiCaller caller, string query, CancellationToken cancellationToken)
    {
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString(), StringComparer.Ordinal);
        var result = await api.RunList.ListAsync(caller, parameters, cancellationToken);
        return result.Body is RunPage page ? page.ContinuationToken : throw new InvalidOperationException($"listing refused: {JsonSerializer.Serialize(result.Body)}");
    }

    /// <summary>The median of <see cref="Repeat"/> timings after one warm-up, in milliseconds.</summary>
    private static async Task<double> TimeAsync<T>(Func<Task<T>> work)
    {
        await work();
        var samples = new List<double>();
        for (var i = 0; i < Repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }
}
