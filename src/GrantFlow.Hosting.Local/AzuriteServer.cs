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
/// serialises these decisions between processes.
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

    /// <summary>What azurite.json records of the folder's running Azurite.</summary>
    private sealed record RunningAzurite(int Pid, int BlobPort, int QueuePort, int TablePort);

    public static async Task<AzuriteServer> StartAsync(string dataDirectory, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        await using var folderLock = await FolderLock.AcquireAsync(dataDirectory, cancellationToken);
        if (await FindRunningAsync(dataDirectory, cancellationToken) is { } running)
        {
            Register(dataDirectory);
            log?.WriteLine($"Using the Azurite already running on {dataDirectory} (pid {running.Pid}).");
            return new AzuriteServer(running.Pid, running.BlobPort, running.QueuePort, running.TablePort, dataDirectory, started: false, log);
        }

        var executable = await AzuriteInstall.EnsureInstalledAsync(log, cancellationToken);
        await StopRecordedAsync(dataDirectory, log);
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
                await File.WriteAllTextAsync(StateFile(dataDirectory), JsonSerializer.Serialize(recorded), cancellationToken);
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

            Register(dataDirectory);
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

        await using var folderLock = await FolderLock.AcquireAsync(DataDirectory, CancellationToken.None);
        File.Delete(UserFile(DataDirectory, Environment.ProcessId));
        if (LiveUsers(DataDirectory).Count > 0)
        {
            _log?.WriteLine($"Azurite (pid {Pid}) stays up for the other GrantFlow processes using {DataDirectory}.");
            return;
        }

        await StopRecordedAsync(DataDirectory, _log);
    }

    private static string StateFile(string dataDirectory) => Path.Combine(dataDirectory, "azurite.json");

    private static string UsersDirectory(string dataDirectory) => Path.Combine(dataDirectory, "users");

    private static string UserFile(string dataDirectory, int pid) => Path.Combine(UsersDirectory(dataDirectory), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Records this process as a user of the folder's Azurite (with its start time, so a reused pid is not mistaken for it).</summary>
    private static void Register(string dataDirectory)
    {
        Directory.CreateDirectory(UsersDirectory(dataDirectory));
        File.WriteAllText(UserFile(dataDirectory, Environment.ProcessId), StartTicks(Environment.ProcessId)?.ToString(CultureInfo.InvariantCulture) ?? "0");
    }

    /// <summary>The registered users still alive; the registrations of dead processes are removed.</summary>
    private static List<int> LiveUsers(string dataDirectory)
    {
        var live = new List<int>();
        if (!Directory.Exists(UsersDirectory(dataDirectory)))
        {
            return live;
        }

        foreach (var file in Directory.GetFiles(UsersDirectory(dataDirectory)))
        {
            if (int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && IsAlive(pid, ticks))
            {
                live.Add(pid);
            }
            else
            {
                File.Delete(file);
            }
        }

        return live;
    }

    private static bool IsAlive(int pid, long startTicks) => StartTicks(pid) == startTicks;

    /// <summary>
    /// When the process started, in clock ticks since boot (field 22 of /proc/{pid}/stat): exact and stable, unlike
    /// Process.StartTime, which is recomputed from the uptime on each call. Null when there is no such process.
    /// </summary>
    private static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The folder's Azurite if it is running and answering on its recorded ports.</summary>
    private static async Task<RunningAzurite?> FindRunningAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(StateFile(dataDirectory)))
        {
            return null;
        }

        RunningAzurite? recorded;
        try
        {
            recorded = JsonSerializer.Deserialize<RunningAzurite>(await File.ReadAllTextAsync(StateFile(dataDirectory), cancellationToken));
        }
        catch (JsonException)
        {
            return null;
        }

        if (recorded is null || !IsAzuriteOf(recorded.Pid, dataDirectory))
        {
            return null;
        }

        foreach (var port in new[] { recorded.BlobPort, recorded.QueuePort, recorded.TablePort })
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            }
            catch (SocketException)
            {
                return null;
            }
        }

        return recorded;
    }

    private static bool IsAzuriteOf(int pid, string dataDirectory)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        try
        {
            var commandLine = File.Exists(cmdline) ? File.ReadAllText(cmdline) : string.Empty;
            return commandLine.Contains("azurite", StringComparison.Ordinal) && commandLine.Contains(dataDirectory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // exited meanwhile
        }
    }

    /// <summary>
    /// Stops the Azurite azurite.json records for the folder, if it still runs (SIGTERM, so it writes what it holds;
    /// SIGKILL after 15 s), and forgets it.
    /// </summary>
    private static async Task StopRecordedAsync(string dataDirectory, TextWriter? log)
    {
        if (!File.Exists(StateFile(dataDirectory)))
        {
            return;
        }

        var recorded = JsonSerializer.Deserialize<RunningAzurite>(await File.ReadAllTextAsync(StateFile(dataDirectory)));
        if (recorded is not null && IsAzuriteOf(recorded.Pid, dataDirectory))
        {
            log?.WriteLine($"Stopping Azurite (pid {recorded.Pid}) on {dataDirectory}...");
            try
            {
                using var process = Process.GetProcessById(recorded.Pid);
                await StopAsync(process);
            }
            catch (ArgumentException)
            {
                // exited meanwhile
            }
        }

        File.Delete(StateFile(dataDirectory));
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

    /// <summary>An exclusive lock on the folder's lock file, held while a process decides to join, start or stop Azurite.</summary>
    private sealed class FolderLock(FileStream stream) : IAsyncDisposable
    {
        public static async Task<FolderLock> AcquireAsync(string dataDirectory, CancellationToken cancellationToken)
        {
            var path = Path.Combine(dataDirectory, "azurite.lock");
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (attempt < 600)
                {
                    await Task.Delay(100, cancellationToken); // another process is deciding
                }
            }
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
