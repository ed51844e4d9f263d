using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// Azurite from the project's own npm install (tools/azurite), started on free loopback ports with its data in a
/// folder of ours (so state survives a crash of the host), telemetry off, and stopped on dispose.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    // Azurite's well-known development key (public, documented; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteServer(Process process, int blobPort, int queuePort, int tablePort, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        ConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");
    }

    public string ConnectionString { get; }

    public string DataDirectory { get; }

    public static async Task<AzuriteServer> StartAsync(string dataDirectory, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var executable = await AzuriteInstall.EnsureInstalledAsync(log, cancellationToken);
        Directory.CreateDirectory(dataDirectory);
        await StopOrphanAsync(dataDirectory, log);
        var (blob, queue, table) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        // setsid: Azurite gets a session of its own, so signals meant for our terminal's process group do not stop it.
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            executable, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--location", dataDirectory,
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
        var processLog = new StreamWriter(Path.Combine(dataDirectory, "azurite-process.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (processLog) { processLog.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (processLog) { processLog.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await File.WriteAllTextAsync(PidFile(dataDirectory), process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var server = new AzuriteServer(process, blob, queue, table, dataDirectory);
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(process, port, cancellationToken);
        }

        return server;
    }

    /// <summary>
    /// Stops Azurite with SIGTERM so it writes its data to disk (it keeps recent writes in memory), and kills it only
    /// if it has not exited after 15 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        File.Delete(PidFile(DataDirectory));
        _process.Dispose();
    }

    private static string PidFile(string dataDirectory) => Path.Combine(dataDirectory, "azurite.pid");

    /// <summary>
    /// A host killed with SIGKILL leaves its Azurite running (it has a session of its own). Before a new Azurite
    /// opens the same folder, that one is stopped gracefully, so it writes what it holds and two never share a folder.
    /// </summary>
    private static async Task StopOrphanAsync(string dataDirectory, TextWriter? log)
    {
        var pidFile = PidFile(dataDirectory);
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var orphan = Process.GetProcessById(pid);
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? await File.ReadAllTextAsync($"/proc/{pid}/cmdline") : string.Empty;
            if (!orphan.HasExited && commandLine.Contains("azurite", StringComparison.Ordinal) && commandLine.Contains(dataDirectory, StringComparison.Ordinal))
            {
                log?.WriteLine($"Stopping the Azurite a previous host left running on {dataDirectory} (pid {pid})...");
                await StopAsync(orphan);
            }
        }
        catch (ArgumentException)
        {
            // no such process any more
        }

        File.Delete(pidFile);
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }


    private static async Task WaitForPortAsync(Process process, int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s.");
    }
}
