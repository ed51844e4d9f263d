using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// Finds Azurite and installs it from its lockfile with npm on first use: the repository's <c>tools/azurite</c> when
/// GrantFlow runs from a clone, otherwise (an installed <c>grantflow</c> tool) the lockfile shipped beside it, installed
/// once into a per-user cache folder named after the lockfile's hash.
/// </summary>
public static class AzuriteInstall
{
    /// <summary>Overrides where Azurite is (a folder holding its package.json).</summary>
    public const string DirectoryVariable = "GRANTFLOW_AZURITE_DIR";

    /// <summary>Overrides the per-user cache folder (default: $XDG_CACHE_HOME or ~/.cache, then grantflow).</summary>
    public const string CacheVariable = "GRANTFLOW_CACHE_DIR";

    /// <summary>The lockfile shipped beside the tool (<c>azurite/</c> in its folder).</summary>
    public const string ShippedFolder = "azurite";

    public static async Task<string> EnsureInstalledAsync(TextWriter? log, CancellationToken cancellationToken)
    {
        var directory = await FindOrPrepareAsync(cancellationToken)
            ?? throw new LocalToolMissingException($"Azurite's package.json was found neither in a GrantFlow clone (tools/azurite) nor beside grantflow ({ShippedFolder}/); set {DirectoryVariable} to a folder holding it.");
        var executable = Path.Combine(directory, "node_modules", ".bin", "azurite");
        if (File.Exists(executable))
        {
            return executable;
        }

        log?.WriteLine($"Installing Azurite into {directory} (npm ci from its lockfile; first use only)...");
        var info = new ProcessStartInfo("npm") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            info.ArgumentList.Add(arg);
        }

        Process npm;
        try
        {
            npm = Process.Start(info) ?? throw new Win32Exception("npm did not start");
        }
        catch (Win32Exception)
        {
            throw new LocalToolMissingException("GrantFlow runs Azurite (its local storage) with Node.js, and npm was not found: install Node.js 20 or later with npm (for example `apt-get install -y nodejs npm`), then run the command again.");
        }

        using (npm)
        {
            var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.StandardOutput.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0 || !File.Exists(executable))
            {
                throw new LocalToolMissingException($"npm ci failed in {directory} (exit {npm.ExitCode}): {(await errors).Trim()}");
            }
        }

        return executable;
    }

    /// <summary>The per-user cache folder for a lockfile: the same lockfile is installed once per user.</summary>
    public static string CacheFolder(byte[] lockfile)
    {
        var root = Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "grantflow");
        return Path.Combine(root, "azurite-" + Convert.ToHexStringLower(SHA256.HashData(lockfile))[..12]);
    }

    private static async Task<string?> FindOrPrepareAsync(CancellationToken cancellationToken)
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

        var shipped = Path.Combine(AppContext.BaseDirectory, ShippedFolder);
        if (!File.Exists(Path.Combine(shipped, "package-lock.json")))
        {
            return null;
        }

        var lockfile = await File.ReadAllBytesAsync(Path.Combine(shipped, "package-lock.json"), cancellationToken);
        var cache = CacheFolder(lockfile);
        Directory.CreateDirectory(cache);
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(shipped, file), Path.Combine(cache, file), overwrite: true);
        }

        return cache;
    }
}

/// <summary>Something GrantFlow runs locally (Node.js, npm, Azurite) is missing: said in one sentence, not a stack trace.</summary>
public sealed class LocalToolMissingException : Exception
{
    public LocalToolMissingException()
    {
    }

    public LocalToolMissingException(string message)
        : base(message)
    {
    }

    public LocalToolMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
