using System.CommandLine;
using System.Globalization;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow bench pass-down</c>: the whole pass-down on a fresh folder (the 2026 central release, then all three
/// programs passed down in all 31 provinces to their 2,843 counties), against the same storage work done raw through
/// the SDK in the same process (all its ledger and index rows, all its county notices, same batching and concurrency).
/// </summary>
public static class PassDownBenchmark
{
    public static Command Create()
    {
        var command = new Command("pass-down", "Time the whole pass-down (93 runs, ~8,600 county allocations) against the same storage work done directly.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var console = GrantFlow.Cli.Output.CliConsole.For(output);
            var data = Path.Combine(Path.GetTempPath(), "grantflow-bench-pass-down-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using var environment = await EmbeddedEnvironment.StartAsync(data, output, cancellationToken, crashRecovery: TimeSpan.FromMinutes(5));
                var services = environment.Engine.Services;
                var (central, _) = await DemoCommand.RunAllAsync(services, console, cancellationToken);
                var phases = new PassDownPhases();
                var (elapsed, runs) = await DemoPassDown.RunAsync(services, central, console, cancellationToken, report: false, phases);
                var records = services.GetRequiredService<RunRepository>();
                var completed = 0;
                foreach (var run in runs)
                {
                    completed += (await records.FindAsync(run, cancellationToken))?.Status == RunStatuses.Completed ? 1 : 0;
                }

                await output.WriteLineAsync("raw SDK work for the same rows and messages...");
                var storage = services.GetRequiredService<GrantFlowTables>();
                var (rawLedger, rows) = await RunBenchmark.RawLedgerAsync(storage, runs, cancellationToken);
                var (rawNotices, messages) = await RunBenchmark.RawNoticesAsync(storage, runs, cancellationToken);
                var raw = rawLedger + rawNotices;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"pass-down: {runs.Count} runs ({completed} completed), {rows:N0} ledger + index rows, {messages:N0} county notices"));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"whole pass-down (plans, runs, approvals, ledger, notices): {elapsed.TotalSeconds:N1} s"));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"raw storage work: ledger + index rows {rawLedger:N1} s, notices {rawNotices:N1} s, together {raw:N1} s"));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ratio pass-down / raw: {elapsed.TotalSeconds / raw:N2}"));
                foreach (var line in phases.Describe())
                {
                    await output.WriteLineAsync(line);
                }
                return completed == runs.Count && runs.Count > 0 ? GrantFlowCli.Success : GrantFlowCli.Failure;
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
}
