using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow demo</c>: the whole 2026 advance release on the embedded default - three durable runs, the
/// reviewer and the approver played by the command, the ledger written and every province notified.
/// </summary>
public static class DemoCommand
{
    public const string Initiator = "official.li";
    public const string Reviewer = "reviewer.wang";
    public const string Approver = "approver.zhao";

    public static Command Create()
    {
        var dataOption = new Option<string>("--data-dir") { Description = "Where Azurite keeps its data.", DefaultValueFactory = _ => Path.Combine(".grantflow", "azurite") };
        var passDownOption = new Option<bool>("--pass-down") { Description = "Then pass every province's notices down to its counties (2,843 counties, three programs)." };
        var programsOption = new Option<string>("--programs") { Description = "seeds: the three programs of the 2026 seeds; all: every program of the catalog (the seeds' and about a hundred illustrative ones).", DefaultValueFactory = _ => "seeds" };
        programsOption.AcceptOnlyFromAmong("seeds", "all");
        var yearOption = new Option<int>("--year") { Description = "The fiscal year released with --programs all.", DefaultValueFactory = _ => 2026 };
        yearOption.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 2000 or > 2100) { r.AddError("--year must be between 2000 and 2100."); } });
        var command = new Command("demo", "Run the 2026 advance release of the three programs end to end on a real durable engine.") { dataOption, passDownOption, programsOption, yearOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var console = GrantFlow.Cli.Output.CliConsole.For(output);
            console.Profile.Width = Math.Max(console.Profile.Width, 140);
            var watch = Stopwatch.StartNew();
            await using var environment = await EmbeddedEnvironment.StartAsync(parse.GetValue(dataOption)!, output, cancellationToken, recoverUnscheduledRuns: true);
            console.MarkupLine($"[grey]Engine: Durable Task gRPC sidecar over Azure Storage; storage: {Markup.Escape(environment.StorageDescription)} (ready in {watch.Elapsed.TotalSeconds:0.0} s)[/]");
            if (parse.GetValue(programsOption) == "all")
            {
                return await DemoPrograms.RunAsync(environment.Engine.Services, console, parse.GetValue(yearOption), cancellationToken);
            }

            var started = Stopwatch.StartNew();
            var (runIds, startedCount) = await RunAllAsync(environment.Engine.Services, console, cancellationToken);
            var elapsed = started.Elapsed;
            await DemoReport.WriteAsync(environment.Engine.Services, runIds, console, cancellationToken);
            if (startedCount > 0)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Wall time from the first start to the last notice: [bold]{elapsed.TotalSeconds:0.0} s[/] (approvals instant)."));
            }

            await DemoPrefectures.RunAsync(environment.Engine.Services, runIds, console, cancellationToken);
            if (parse.GetValue(passDownOption))
            {
                await DemoPassDown.RunAsync(environment.Engine.Services, runIds, console, cancellationToken);
            }
            return GrantFlowCli.Success;
        });
        return command;
    }

    /// <summary>
    /// The 2026 expected amounts the demo sets before releasing, so each advance shows its ratio. Illustrative: the
    /// seeds give the advances (416.557 bn yuan), not the years' totals; these put each advance at about 92%.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, long> IllustrativeExpected2026 = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [GrantFlow.Domain.Programs.GrantProgramCatalog.ResidentInsurance] = 417_000_000_000,
        [GrantFlow.Domain.Programs.GrantProgramCatalog.MedicalAssistance] = 29_000_000_000,
        [GrantFlow.Domain.Programs.GrantProgramCatalog.ServiceCapacity] = 3_800_000_000,
    };

    internal static async Task<(IReadOnlyList<string> RunIds, int Started)> RunAllAsync(IServiceProvider services, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var runService = services.GetRequiredService<RunService>();
        var plans = services.GetRequiredService<GrantFlow.Workflows.Plans.PlanService>();
        var approvals = services.GetRequiredService<ApprovalService>();
        var client = services.GetRequiredService<DurableTaskClient>();
        var csv = await File.ReadAllTextAsync(BundledData.ProvincesCsv, cancellationToken);
        var runIds = new List<string>();
        var started = new List<string>();
        var existing = await services.GetRequiredService<RunRepository>().ListAsync(null, cancellationToken);
        foreach (var file in BundledData.RunParameterFiles)
        {
            var parametersJson = await File.ReadAllTextAsync(file, cancellationToken);
            var parameters = GrantFlow.Domain.Inputs.RunParametersReader.Parse(parametersJson);
            // One advance per program and year: on a data folder that has it already, say what is there instead.
            var released = existing
                .Where(r => r.Kind == RunKinds.Advance && r.Program == parameters.Program && r.FiscalYear == parameters.FiscalYear && r.Status is not (RunStatuses.Rejected or RunStatuses.Expired or RunStatuses.Failed))
                .OrderBy(r => r.StartedAt)
                .FirstOrDefault();
            if (released is not null)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[yellow]The {parameters.FiscalYear} advance of {parameters.Program} is already {(released.Status == RunStatuses.Completed ? "released" : "under way")} in this data folder: run [bold]{released.RunId}[/], {released.Status}, started {released.StartedAt:yyyy-MM-dd HH:mm} UTC by {Markup.Escape(released.StartedBy)}; nothing is released again.[/]"));
                runIds.Add(released.RunId);
                if (released.Status != RunStatuses.Completed && released.StartedBy == Initiator)
                {
                    started.Add(released.RunId); // an interrupted demo's run: approve what is still open
                }

                continue;
            }

            if (parameters.FiscalYear == 2026 && IllustrativeExpected2026.TryGetValue(parameters.Program, out var expected))
            {
                await plans.SetAsync(parameters.Program, parameters.FiscalYear, new SetPlanBody(expected), Initiator, cancellationToken);
            }

            var run = await runService.StartAsync(parametersJson, csv, Initiator, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), cancellationToken: cancellationToken);
            runIds.Add(run.RunId);
            started.Add(run.RunId);
            var ratio = run.AdvancePercent is { } percent ? string.Create(CultureInfo.InvariantCulture, $"; {percent} of the year's expected {run.ExpectedYuan:N0} yuan, minimum {run.MinimumPercent}%") : string.Empty;
            console.MarkupLine($"Started run [bold]{run.RunId}[/] ({run.Program}, {run.EnvelopeYuan:N0} yuan{ratio}) as {Initiator}");
        }

        if (started.Count < runIds.Count)
        {
            console.MarkupLine("[grey]To release again from scratch, use a new data folder: grantflow demo --data-dir <folder>.[/]");
        }

        await Task.WhenAll(started.Select(id => ApproveAsync(id, approvals, runService, console, cancellationToken)));
        foreach (var id in runIds)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(60));
            OrchestrationMetadata done;
            try
            {
                done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, patience.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var stuck = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
                throw new TimeoutException($"run {id} did not finish within 60 s: {stuck?.RuntimeStatus}, {stuck?.SerializedCustomStatus}");
            }

            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"run {id} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage} {done.SerializedOutput}");
            }

            var result = done.ReadOutputAs<AllocationRunResult>();
            console.MarkupLine($"Run [bold]{id}[/]: {done.RuntimeStatus}, {Markup.Escape(result?.Status ?? "?")}; {Markup.Escape(result?.StageTimings ?? string.Empty)}");
            if ((await runService.GetAsync(id, cancellationToken))?.Run is { PublishedAt: { } published, LedgerRecordedAt: { } approved, ReceiptRoot: { } root })
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  published {(published - approved).TotalSeconds:0.0} s after approval: /api/public/releases/{id}.json (.csv), receipt root {root[..16]}…"));
            }
        }

        return (runIds, started.Count);
    }

    private static Task ApproveAsync(string runId, ApprovalService approvals, RunService runs, IAnsiConsole console, CancellationToken cancellationToken) =>
        ApproveAsync(runId, approvals, runs, console, quiet: false, cancellationToken);

    /// <summary>Records both approvals of a run (the reviewer's, then the approver's), waiting while it still computes.</summary>
    internal static async Task ApproveAsync(string runId, ApprovalService approvals, RunService runs, IAnsiConsole console, bool quiet, CancellationToken cancellationToken)
    {
        foreach (var (stage, user) in new[] { (ApprovalStages.Review, Reviewer), (ApprovalStages.Approval, Approver) })
        {
            while (true)
            {
                if ((await runs.GetAsync(runId, cancellationToken))?.Decisions.Any(d => d.Stage == stage) == true)
                {
                    break; // decided already (an interrupted demo)
                }

                var result = await approvals.DecideAsync(runId, stage, user, approve: true, reason: null, cancellationToken);
                if (result.Outcome == DecisionOutcome.Recorded)
                {
                    if (!quiet)
                    {
                        console.MarkupLine($"  {runId[..8]}: {Markup.Escape(result.Message)}");
                    }

                    break;
                }

                var view = await runs.GetAsync(runId, cancellationToken);
                if (result.Outcome != DecisionOutcome.Conflict || view?.Run.Status is RunStatuses.Failed or RunStatuses.Expired or RunStatuses.Rejected)
                {
                    throw new InvalidOperationException($"{stage} of {runId} refused: {result.Message}");
                }

                await Task.Delay(100, cancellationToken); // the run is still computing
            }
        }
    }
}
