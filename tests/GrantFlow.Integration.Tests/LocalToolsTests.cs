using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GrantFlow.Hosting.Local;
using GrantFlow.Hosting.Local.Soak;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Runs alone (after the parallel classes): it times a stop, and with every other fixture's engine busy on two cores
/// serve took 11 s to stop instead of about 2 (a finding noted on issue 9, not yet traced to engine or Azurite).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "timed, alone";
}

/// <summary>Two GrantFlow processes on one data folder share its Azurite; serve stops cleanly on SIGTERM.</summary>
[Collection(RunsAlone.Name)]
public sealed class LocalToolsTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-tools-" + Guid.NewGuid().ToString("N"));

    private static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "grantflow.dll");

    public void Dispose() => TestFolders.Delete(_home);

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat");

    private async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _home, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(HostAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task The_demo_run_twice_says_the_year_is_released_and_prints_no_log_blocks_for_the_conflicts_it_expects()
    {
        Directory.CreateDirectory(_home);
        var first = await RunCliAsync("demo", "--data-dir", "azurite");
        Assert.Equal(0, first.ExitCode);
        var second = await RunCliAsync("demo", "--data-dir", "azurite");
        Assert.Equal(0, second.ExitCode);

        // The second run meets the claims, tables, queues and task hub of the first (409s the code expects): it says
        // what is there, and no logger block (Azure SDK, Durable Task, ASP.NET Core) reaches the official's terminal.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(second.Output, "is already released in this data folder"));
        foreach (var output in new[] { first.Output, second.Output })
        {
            Assert.DoesNotMatch(@"(?m)^\s*(warn|fail|crit|error|info):", output);
            Assert.DoesNotContain("Azure.RequestFailedException", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Status: 409", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_demo_stopped_by_SIGTERM_midway_stops_its_Azurite_and_says_it_stopped()
    {
        Directory.CreateDirectory(_home);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _home, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { HostAssembly, "demo", "--data-dir", "azurite" })
        {
            info.ArgumentList.Add(arg);
        }

        using var demo = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        demo.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Started run", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        demo.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var azurite = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_home, "azurite", "azurite.json"))).RootElement.GetProperty("Pid").GetInt32();
        Assert.True(Alive(azurite));

        using (var kill = Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await demo.WaitForExitAsync(patience.Token);
        for (var i = 0; i < 50 && Alive(azurite); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Alive(azurite), "the demo died and left its Azurite running: " + output);
        Assert.Equal(1, demo.ExitCode); // stopped before it finished
    }

    [Theory]
    [InlineData("local")]
    [InlineData("functions")]
    public async Task A_second_tool_on_the_folder_of_a_running_serve_shares_its_Azurite_and_serve_stops_cleanly_on_SIGTERM(string host)
    {
        Directory.CreateDirectory(_home);
        var data = Path.Combine(_home, "azurite");
        var tokens = LocalTokens.Load(Path.Combine(_home, ".grantflow", "signing-key"));
        var auditor = tokens.Mint("auditor.sun", ["auditor"], TimeSpan.FromMinutes(10));
        var serve = await LocalHostProcess.StartAsync(HostAssembly, connectionString: null, _home, LoopbackPorts.Free(), () => auditor, data, serveArguments: ["--host", host]);
        await using var _ = serve;
        var azurite = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "azurite.json"))).RootElement.GetProperty("Pid").GetInt32();

        var verify = await RunCliAsync("ledger", "verify", "--data-dir", data);

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("stays up", verify.Output, StringComparison.Ordinal);
        Assert.True(Alive(azurite), "the tool stopped the Azurite serve was using");
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ledger/verify");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
        using var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode); // serve still reads its storage

        // SIGTERM: serve exits cleanly (0) within 20 s - null when it did not exit by then. About 2 s on a quiet
        // machine; the stop sequence caps the engine's and Azurite's stops at 15 s each.
        var exitCode = await serve.TerminateAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exitCode);
        for (var i = 0; i < 50 && Alive(azurite); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Alive(azurite), "the last user out did not stop Azurite");
    }
}
