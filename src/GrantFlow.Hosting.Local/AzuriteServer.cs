using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// Azurite from the project's own npm install (tools/azurite), started on free loopback ports with its data in a
/// folder of ours (so state survives a crash of the host), telemetry off. One Azurite per data folder, shared: a
/// GrantFlow process that finds the folder's Azurite running (azurite.json: its pid and ports) uses it instead of
/// starting or stopping one, registers itself as a user (users/{pid}), and on dispose unregisters; the last user
/// out stops Azurite. A user killed with SIGKILL leaves a stale registration, pruned by the next one to look, so
/// Azurite outlives no one it should and no process ever stops the Azurite another is using. The folder's lock file
/// serialises these decisions between processes (<see cref="AzuriteFolder"/> keeps that bookkeeping).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    // Azurite's well-known development key (public, documented; not a secret).
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TextWriter? _log;
    private int _disposed;

    private AzuriteServer(int pid, int blobPort, int queuePort, int tablePort, string dataDirectory, bool started, TextWriter? log)
    {
        Pid = pid;
        StartedHere = started;
        _log = log;
        DataDirectory = dataDirectory;
        ConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");
    }

    public string ConnectionString { get; }

    public string DataDirectory { get; }

    /// <summary>The Azurite process (this one's or another GrantFlow process's).</summary>
    public int Pid { get; }

    /// <summary>Whether this process started it (false: it joined the one running on the folder).</summary>
    public bool StartedHere { get; }

    public static async Task<AzuriteServer> StartAsync(string dataDirectory, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await using var folderLock = await AzuriteFolder.FolderLock.AcquireAsync(dataDirectory, cancellationToken);
        if (await AzuriteFolder.FindRunningAsync(dataDirectory, cancellationToken) is { } running)
        {
            AzuriteFolder.Register(dataDirectory);
            log?.WriteLine($"Using the Azurite already running on {dataDirectory} (pid {running.Pid}).");
            return new AzuriteServer(running.Pid, running.BlobPort, running.QueuePort, running.TablePort, dataDirectory, started: false, log);
        }

        var executable = await AzuriteInstall.EnsureInstalledAsync(log, cancellationToken);
        await AzuriteFolder.StopRecordedAsync(dataDirectory, log);
        // A port found free can be taken by another process before Azurite binds it (tests and soaks start many
        // listeners at once): Azurite then exits at once, and it is started again on other ports.
        for (var attempt = 1; ; attempt++)
        {
            var (blob, queue, table) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
            // setsid: Azurite gets a session of its own, so signals meant for our terminal's process group do not stop it.
            var info = new ProcessStartInfo("setsid")
            {
                RedirectStandardOutput = false,
                RedirectStandardError = false,
                RedirectStandardInput = false,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "sh", "-c", "exec \"$0\" \"$@\" >>\"$GRANTFLOW_AZURITE_LOG\" 2>&1 </dev/null",
                executable, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                "--location", dataDirectory,
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
            })
            {
                info.ArgumentList.Add(arg);
            }

            // Azurite writes to a log file of the folder, not to pipes of ours: it outlives this process when others use it.
            info.Environment["GRANTFLOW_AZURITE_LOG"] = Path.Combine(dataDirectory, "azurite-process.log");
            using var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
            try
            {
                var recorded = new RunningAzurite(process.Id, blob, queue, table);
                await File.WriteAllTextAsync(AzuriteFolder.StateFile(dataDirectory), JsonSerializer.Serialize(recorded), cancellationToken);
                foreach (var port in new[] { blob, queue, table })
                {
                    await WaitForPortAsync(process, port, cancellationToken);
                }
            }
            catch (InvalidOperationException ex) when (attempt < 3 && process.HasExited)
            {
                log?.WriteLine($"{ex.Message} Starting it again on other ports.");
                continue;
            }

            AzuriteFolder.Register(dataDirectory);
            return new AzuriteServer(process.Id, blob, queue, table, dataDirectory, started: true, log);
        }
    }

    /// <summary>Unregisters this process; the last user stops Azurite (SIGTERM, so it writes its data to disk).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await using var folderLock = await AzuriteFolder.FolderLock.AcquireAsync(DataDirectory, CancellationToken.None);
        AzuriteFolder.Unregister(DataDirectory);
        if (AzuriteFolder.LiveUsers(DataDirectory).Count > 0)
        {
            _log?.WriteLine($"Azurite (pid {Pid}) stays up for the other GrantFlow processes using {DataDirectory}.");
            return;
        }

        await AzuriteFolder.StopRecordedAsync(DataDirectory, _log);
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
