using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace GrantFlow.Hosting.Local;

/// <summary>What azurite.json records of a data folder's running Azurite.</summary>
internal sealed record RunningAzurite(int Pid, int BlobPort, int QueuePort, int TablePort);

/// <summary>
/// The cross-process bookkeeping of one Azurite data folder: which Azurite runs on it (azurite.json), which GrantFlow
/// processes use it (users/{pid}, with their start times, so a reused pid is not taken for a user), a lock file that
/// serialises the decisions to join, start or stop, and the stopping of the recorded Azurite.
/// </summary>
internal static class AzuriteFolder
{
    public static string StateFile(string dataDirectory) => Path.Combine(dataDirectory, "azurite.json");

    private static string UsersDirectory(string dataDirectory) => Path.Combine(dataDirectory, "users");

    private static string UserFile(string dataDirectory, int pid) => Path.Combine(UsersDirectory(dataDirectory), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Records this process as a user of the folder's Azurite (with its start time, so a reused pid is not mistaken for it).</summary>
    public static void Register(string dataDirectory)
    {
        Directory.CreateDirectory(UsersDirectory(dataDirectory));
        File.WriteAllText(UserFile(dataDirectory, Environment.ProcessId), StartTicks(Environment.ProcessId)?.ToString(CultureInfo.InvariantCulture) ?? "0");
    }

    /// <summary>Removes this process's registration.</summary>
    public static void Unregister(string dataDirectory) => File.Delete(UserFile(dataDirectory, Environment.ProcessId));

    /// <summary>The registered users still alive; the registrations of dead processes are removed.</summary>
    public static List<int> LiveUsers(string dataDirectory)
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
    public static async Task<RunningAzurite?> FindRunningAsync(string dataDirectory, CancellationToken cancellationToken)
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
    public static async Task StopRecordedAsync(string dataDirectory, TextWriter? log)
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

    /// <summary>An exclusive lock on the folder's lock file, held while a process decides to join, start or stop Azurite.</summary>
    public sealed class FolderLock(FileStream stream) : IAsyncDisposable
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
    }}
