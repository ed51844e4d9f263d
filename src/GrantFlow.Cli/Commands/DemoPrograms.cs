using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GrantFlow.Contracts;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow demo --programs all</c>: the advance of every program in the catalog (the seeds' three and the
/// illustrative hundred) for one fiscal year, each through its durable run with both approvals (played by the
/// command), a fixed number at once; then what was released, and how long it took.
/// </summary>
public static class DemoPrograms
{
    /// <summary>Runs under way at once (started, approved, awaited).</summary>
    public const int Concurrency = 32;

    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, int fiscalYear, CancellationToken cancellationToken)
    {
        var runService = services.GetRequiredService<RunService>();
        var approvals = services.GetRequiredService<ApprovalService>();
        var client = services.GetRequiredService<DurableTaskClient>();
        var records = services.GetRequiredService<RunRepository>();
        var csv = await File.ReadAllTextAsync(BundledData.ProvincesCsv, cancellationToken);
        var programs = GrantProgramCatalog.All.ToList();
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Releasing the {fiscalYear} advance of [bold]{programs.Count}[/] programs ({programs.Count(p => p.TransferKind == IllustrativePrograms.General)} general, {programs.Count(p => p.TransferKind == IllustrativePrograms.Special)} special; {programs.Count(p => p.Illustrative)} illustrative), {Concurrency} at once."));
        var done = new ConcurrentBag<(RunRecord Run, TimeSpan Took)>();
        var skipped = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(programs, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (program, token) =>
        {
            var released = (await records.ListOfYearAsync(program.Id, fiscalYear, RunKinds.Advance, token))
                .FirstOrDefault(r => r.Status is not (RunStatuses.Rejected or RunStatuses.Expired or RunStatuses.Failed));
            if (released is not null)
            {
                skipped.Add(program.Id); // released (or under way) in this data folder already: nothing is released twice
                return;
            }

            var one = Stopwatch.StartNew();
            var run = await runService.StartAsync(Parameters(program, fiscalYear), csv, DemoCommand.Initiator, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), cancellationToken: token);
            await DemoCommand.ApproveAsync(run.RunId, approvals, runService, console, quiet: true, token);
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(token);
            patience.CancelAfter(TimeSpan.FromMinutes(10));
            var end = await client.WaitForInstanceCompletionAsync(run.RunId, getInputsAndOutputs: false, patience.Token);
            var record = await records.FindAsync(run.RunId, token) ?? throw new InvalidOperationException($"run {run.RunId} vanished");
            if (end.RuntimeStatus != OrchestrationRuntimeStatus.Completed || record.Status != RunStatuses.Completed)
            {
                throw new InvalidOperationException($"the run of {program.Id} ({run.RunId}) ended {record.Status}: {record.Reason}");
            }

            done.Add((record, one.Elapsed));
            if (done.Count % 10 == 0)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  [grey]{done.Count} of {programs.Count} released ({watch.Elapsed.TotalSeconds:0} s)[/]"));
            }
        });

        var wall = watch.Elapsed;
        var runs = done.Select(d => d.Run).ToList();
        var verified = 0;
        var audit = services.GetRequiredService<LedgerAuditService>();
        foreach (var run in runs)
        {
            verified += (await audit.VerifyRunAsync(run.RunId, cancellationToken))?.Problems.Count == 0 ? 1 : 0;
        }

        var took = done.Select(d => d.Took.TotalSeconds).Order().ToList();
        var table = new Table().Title(string.Create(CultureInfo.InvariantCulture, $"The {fiscalYear} advance of every program")).AddColumns("Programs released", "Already there", "Total (yuan)", "Ledger entries", "Notices", "Chains intact", "Wall time", "Per run p50 / p99");
        table.AddRow(
            runs.Count.ToString(CultureInfo.InvariantCulture),
            skipped.Count.ToString(CultureInfo.InvariantCulture),
            runs.Sum(r => r.TotalYuan ?? 0).ToString("N0", CultureInfo.InvariantCulture),
            runs.Sum(r => r.LedgerEntries ?? 0).ToString("N0", CultureInfo.InvariantCulture),
            runs.Sum(r => r.NoticesSent ?? 0).ToString("N0", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{verified} of {runs.Count}"),
            string.Create(CultureInfo.InvariantCulture, $"{wall.TotalSeconds:0.0} s"),
            took.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(took, 0.5):0.0} / {Percentile(took, 0.99):0.0} s"));
        console.Write(table);
        if (runs.Any(r => r.TotalYuan != r.EnvelopeYuan))
        {
            throw new InvalidOperationException("a run's allocations do not add up to its envelope");
        }

        return verified == runs.Count ? GrantFlowCli.Success : GrantFlowCli.Failure;
    }

    /// <summary>The seeds' bundled parameters for their programs; the illustrative programs' own for the others.</summary>
    internal static string Parameters(GrantProgram program, int fiscalYear)
    {
        if (!program.Illustrative)
        {
            var file = BundledData.RunParameterFiles.Single(f => Path.GetFileName(f).StartsWith(program.Id + "-", StringComparison.Ordinal));
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
            json["fiscalYear"] = fiscalYear;
            return json.ToJsonString();
        }

        return IllustrativePrograms.ParametersJson(program.Id, fiscalYear);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
