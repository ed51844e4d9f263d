using GrantFlow.Domain.Validation;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow bench run</c>: wall time of a full durable run over N generated recipients (county-level codes),
/// against a bare orchestration that fans out N empty activities on the same engine, in the same process.
/// </summary>
public static class RunBenchmark
{
    private const string BareOrchestration = "BenchBareFanOut";
    private const string EmptyActivity = "BenchEmpty";

    public static Command Create()
    {
        var recipientsOption = new Option<int>("--recipients") { Description = "Generated recipients (and empty activities).", DefaultValueFactory = _ => 3_000 };
        var command = new Command("run", "Time a durable run of N recipients against N empty activities on the same engine.") { recipientsOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var count = parse.GetValue(recipientsOption);
            var data = Path.Combine(Path.GetTempPath(), "grantflow-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                return await MeasureAsync(output, count, data, cancellationToken);
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

    private static async Task<int> MeasureAsync(TextWriter output, int count, string data, CancellationToken cancellationToken)
    {
        await using var environment = await EmbeddedEnvironment.StartAsync(data, output, cancellationToken, registry =>
        {
            registry.AddOrchestratorFunc<int, int>(BareOrchestration, async (context, n) =>
            {
                var calls = new List<Task<int>>(n);
                for (var i = 0; i < n; i++)
                {
                    calls.Add(context.CallActivityAsync<int>(EmptyActivity, i));
                }

                return (await Task.WhenAll(calls)).Length;
            });
            registry.AddActivityFunc<int, int>(EmptyActivity, (_, i) => i);
        }, crashRecovery: TimeSpan.FromMinutes(5));
        var services = environment.Engine.Services;
        var client = services.GetRequiredService<DurableTaskClient>();

        var (parameters, csv) = Generate(count);
        var watch = Stopwatch.StartNew();
        var run = await services.GetRequiredService<RunService>().StartAsync(parameters, csv, "bench.initiator", TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(200), RecipientLevel.County, cancellationToken);
        var approvals = services.GetRequiredService<ApprovalService>();
        foreach (var (stage, user) in new[] { (ApprovalStages.Review, "bench.reviewer"), (ApprovalStages.Approval, "bench.approver") })
        {
            while ((await approvals.DecideAsync(run.RunId, stage, user, true, null, cancellationToken)).Outcome != DecisionOutcome.Recorded)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        var done = await client.WaitForInstanceCompletionAsync(run.RunId, getInputsAndOutputs: true, cancellationToken);
        var runTime = watch.Elapsed;

        watch.Restart();
        var bareId = await client.ScheduleNewOrchestrationInstanceAsync(BareOrchestration, count, cancellationToken);
        var bare = await client.WaitForInstanceCompletionAsync(bareId, getInputsAndOutputs: true, cancellationToken);
        var bareTime = watch.Elapsed;

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"recipients: {count:N0}; storage: {environment.StorageDescription}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"allocation run (compute, 2 approvals, {count:N0} ledger entries, {count:N0} notices): {runTime.TotalSeconds:N1} s, {done.RuntimeStatus}"));
        await output.WriteLineAsync($"run stages: {done.ReadOutputAs<GrantFlow.Workflows.Orchestrations.AllocationRunResult>()?.StageTimings}");
    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bare orchestration ({count:N0} empty activities, fan-out): {bareTime.TotalSeconds:N1} s, {bare.RuntimeStatus}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ratio run/bare: {runTime.TotalSeconds / bareTime.TotalSeconds:N2}"));
        return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? GrantFlowCli.Success : GrantFlowCli.Failure;
    }

    /// <summary>Per-capita run over county-level recipients (6-digit codes), 95% of entitlement, 90% floors.</summary>
    private static (string Parameters, string Csv) Generate(int count)
    {
        var random = new Random(3000);
        var provinces = GrantFlow.Domain.Programs.ProvinceCodes.All.Order(StringComparer.Ordinal).ToArray();
        var csv = new StringBuilder("province_code,name_en,name_zh,resident_participants,central_share,prior_year_resident_subsidy_yuan\n");
        decimal entitlement = 0;
        for (var i = 0; i < count; i++)
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"{provinces[i % provinces.Length]}{(i / provinces.Length) + 1:D4}");
            var participants = random.Next(20_000, 1_500_000);
            var share = new[] { 0.5m, 0.6m, 0.8m }[random.Next(3)];
            var weight = participants * 700m * share;
            entitlement += weight;
            var prior = decimal.Floor(weight * (0.8m + (random.Next(0, 25) / 100m)));
            csv.Append(CultureInfo.InvariantCulture, $"{code},County {code},县{code},{participants},{share},{prior}\n");
        }

        var envelope = (long)decimal.Floor(entitlement * 0.95m);
        var parameters = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"program":"resident-insurance","fiscalYear":2027,"envelopeYuan":{{{envelope}}},"formula":{"kind":"per-capita","standardYuan":700},"floor":{"ratio":0.9,"basis":"prior_year_resident_subsidy_yuan"}}""");
        return (parameters, csv.ToString());
    }
}
