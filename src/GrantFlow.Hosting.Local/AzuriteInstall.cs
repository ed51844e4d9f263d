using System.Diagnostics;

namespace GrantFlow.Hosting.Local;

/// <summary>Finds the project's Azurite (tools/azurite) and installs it from its lockfile with npm on first use.</summary>
public static class AzuriteInstall
{
    /// <summary>Overrides where tools/azurite is (a folder holding its package.json).</summary>
    public const string DirectoryVariable = "GRANTFLOW_AZURITE_DIR";

    public static async Task<string> EnsureInstalledAsync(TextWriter? log, CancellationToken cancellationToken)
    {
        var directory = FindToolDirectory()
            ?? throw new InvalidOperationException($"tools/azurite/package.json not found above {AppContext.BaseDirectory}; set {DirectoryVariable}.");
        var executable = Path.Combine(directory, "node_modules", ".bin", "azurite");
        if (File.Exists(executable))
        {
            return executable;
        }

        log?.WriteLine($"Installing Azurite into {directory} (npm ci, first use only)...");
        var info = new ProcessStartInfo("npm") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            info.ArgumentList.Add(arg);
        }

        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm did not start; Node.js 20 with npm is required.");
        var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.StandardOutput.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"npm ci failed in {directory} (exit {npm.ExitCode}): {await errors}");
        }

        return executable;
    }

    private static string? FindToolDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "azurite");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
