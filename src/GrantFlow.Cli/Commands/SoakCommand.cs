using System.CommandLine;
using GrantFlow.Hosting.Local;
using GrantFlow.Hosting.Local.Soak;

namespace GrantFlow.Cli.Commands;

/// <summary><c>grantflow soak</c>: the crash test at a larger scale (3 SIGKILLs per run of the local host).</summary>
public static class SoakCommand
{
    public static Command Create()
    {
        var runsOption = new Option<int>("--runs") { Description = "Runs (3 kills each).", DefaultValueFactory = _ => 10 };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the kill points.", DefaultValueFactory = _ => 42 };
        var passDownsOption = new Option<int>("--pass-downs") { Description = "Provinces that then pass their notice down to their counties (3 kills each; at most --runs).", DefaultValueFactory = _ => 2 };
        var yearsOption = new Option<int>("--years") { Description = "Program years (at most --runs) that go on through every flow after their advance, killed inside each: remainder, correction, upheld dispute, settlement, acknowledgements; the chaser and pass-down deadlines run at soak speed and are checked at the end (14 kills each).", DefaultValueFactory = _ => 0 };
        var faultsOption = new Option<double>("--faults") { Description = "Share of storage requests (0 to 1) that meet an injected fault: 500/503 answers, dropped connections, timeouts, slow answers (a loopback proxy in front of Azurite).", DefaultValueFactory = _ => 0 };
        var faultTaskHubOption = new Option<bool>("--fault-task-hub") { Description = "Fault the Durable engine's own task hub too (its tables, queues and leases), not only GrantFlow's storage. Slow: each lost lease or message costs the engine its recovery interval." };
        var hostOption = new Option<string>("--host")
        {
            Description = "What is killed: 'local' (grantflow serve) or 'functions' (grantflow serve --host functions: the Functions app's triggers and functions).",
            DefaultValueFactory = _ => "local",
        }.AcceptOnlyFromAmong("local", "functions");
        faultsOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 0.5)
            {
                result.AddError("--faults is a share of requests from 0 to 0.5.");
            }
        });
        var command = new Command("soak", "Kill the local host with SIGKILL at random points of many runs and pass-downs, optionally with storage faults, and check everything is written exactly once.") { runsOption, seedOption, passDownsOption, yearsOption, faultsOption, faultTaskHubOption, hostOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var home = Path.Combine(Path.GetTempPath(), "grantflow-soak-" + Guid.NewGuid().ToString("N"));
            var passed = false;
            try
            {
                await using var azurite = await AzuriteServer.StartAsync(Path.Combine(home, "azurite"), output, cancellationToken);
                var tokens = LocalTokens.Load(Path.Combine(home, ".grantflow", "signing-key"));
                var rate = parse.GetValue(faultsOption);
                await using var proxy = rate > 0 ? await Hosting.Local.Faults.StorageFaultProxy.StartAsync(azurite.ConnectionString, rate, parse.GetValue(seedOption), cancellationToken) : null;
                if (proxy is not null && !parse.GetValue(faultTaskHubOption))
                {
                    proxy.Spare = Hosting.Local.Faults.StorageFaultProxy.SpareTaskHub(LocalEngineOptions.DefaultTaskHubName);
                }

                var soak = new CrashSoak(typeof(SoakCommand).Assembly.Location, azurite.ConnectionString, home, tokens, output, hostStorage: proxy?.ConnectionString, serveArguments: ["--host", parse.GetValue(hostOption)!]);
                var csv = await File.ReadAllTextAsync(BundledData.ProvincesCsv, cancellationToken);
                var report = await soak.RunAsync(
                    parse.GetValue(runsOption),
                    parse.GetValue(seedOption),
                    csv,
                    (program, year) =>
                    {
                        var parameters = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BundledData.Directory, "runs", $"{program}-2026.json")))!;
                        parameters["fiscalYear"] = year;
                        return parameters.ToJsonString();
                    },
                    new PassDownSoak(parse.GetValue(passDownsOption), CountiesOf),
                    parse.GetValue(yearsOption) > 0 ? new SoakFlows(parse.GetValue(yearsOption)) : null);
                await output.WriteLineAsync($"{report.Kills} kills, {report.RunIds.Count} runs, {report.Years?.Count ?? 0} program years through every flow, {report.PassDownRunIds?.Count ?? 0} pass-downs, {report.Problems.Count} problem(s)");
                if (proxy is not null)
                {
                    await output.WriteLineAsync($"{proxy.InjectedTotal} storage faults injected in {proxy.Requests} requests ({string.Join(", ", proxy.Injected.Where(p => !p.Key.Contains(':', StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}); API answers: {string.Join(", ", soak.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key} x{a.Value}"))}");
                }
                foreach (var problem in report.Problems)
                {
                    await output.WriteLineAsync("  " + problem);
                }

                passed = report.Problems.Count == 0;
                return passed ? GrantFlowCli.Success : GrantFlowCli.Failure;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                // The soak could not go on (a run that never reached the state it waits for): one line, not a stack trace.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"the soak stopped: {ex.Message}");
                return GrantFlowCli.Failure;
            }
            finally
            {
                if (passed && Directory.Exists(home))
                {
                    Directory.Delete(home, recursive: true);
                }
                else if (Directory.Exists(home))
                {
                    // A failure must be examinable: the storage stays (Azurite data, the host's files).
                    await output.WriteLineAsync($"storage kept for examination in {home} (azurite --location {Path.Combine(home, "azurite")})");
                }
            }
        });
        return command;
    }

    /// <summary>The bundled county rows of one province, as a county CSV.</summary>
    private static string CountiesOf(string province)
    {
        var lines = File.ReadAllLines(BundledData.CountiesCsv);
        return string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Where(l => l.StartsWith(province, StringComparison.Ordinal)))) + "\r\n";
    }
}
