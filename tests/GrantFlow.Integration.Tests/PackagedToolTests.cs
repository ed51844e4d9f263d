using System.Diagnostics;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// <c>grantflow</c> as people install it: packed as a .NET tool, installed into a folder of its own and run from a
/// folder outside any clone - the console's files and Azurite's lockfile travel inside the package; Azurite is
/// installed from that lockfile into the per-user cache on first use; no repository is needed.
/// </summary>
public sealed class PackagedToolTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-tool-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => TestFolders.Delete(_home);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrantFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GrantFlow.sln not found above the tests.");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The installed tool finds Azurite by its own lockfile, not by a clone's (as on an official's machine).
        info.Environment.Remove(GrantFlow.Hosting.Local.AzuriteInstall.DirectoryVariable);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', args)} -> exit {process.ExitCode}{Environment.NewLine}{text}");
        return (process.ExitCode, text);
    }

    [Fact]
    public async Task The_packed_tool_installs_into_its_own_folder_and_runs_allocate_and_demo_from_any_folder()
    {
        var pack = Path.Combine(_home, "pack");
        var tool = Path.Combine(_home, "tool");
        var work = Path.Combine(_home, "work");
        Directory.CreateDirectory(work);
        var cli = Path.Combine(RepositoryRoot(), "src", "GrantFlow.Cli", "GrantFlow.Cli.csproj");

        // The tests' own build of the CLI, packed as it is (the console published inside it).
        Assert.Equal(0, (await RunAsync(_home, "dotnet", "pack", cli, "-c", "Debug", "--no-build", "-o", pack, "-v", "q", "--nologo")).ExitCode);
        var package = Assert.Single(Directory.GetFiles(pack, "GrantFlow.Cli.*.nupkg"));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("console/wwwroot/index.html", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("azurite/package-lock.json", StringComparison.Ordinal));
        }

        Assert.Equal(0, (await RunAsync(_home, "dotnet", "tool", "install", "GrantFlow.Cli", "--tool-path", tool, "--add-source", pack)).ExitCode);
        var grantflow = Path.Combine(tool, "grantflow");

        var allocate = await RunAsync(work, grantflow, "allocate", "--example");
        Assert.Equal(0, allocate.ExitCode);
        Assert.Contains("416,557,000,000", allocate.Output, StringComparison.Ordinal);

        var demo = await RunAsync(work, grantflow, "demo");
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("416,557,000,000", demo.Output, StringComparison.Ordinal);
        Assert.Contains("intact", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", demo.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(work, ".grantflow")), "the demo keeps its data in the folder it runs from");
    }
}
