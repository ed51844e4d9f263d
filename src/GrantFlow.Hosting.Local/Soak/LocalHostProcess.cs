using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>
/// <c>grantflow serve</c> as a separate process over a given storage account, so a test can SIGKILL it and start
/// it again on the same state.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LocalHostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The process id of the host.</summary>
    public int Pid => _process.Id;

    /// <param name="hostAssembly">Path of grantflow.dll.</param>
    /// <param name="connectionString">The storage to use; null: the host starts or joins Azurite on <paramref name="dataDirectory"/>.</param>
    /// <param name="environment">More environment variables for the host (configuration such as GrantFlow__Storage__TablePrefix).</param>
    public static async Task<LocalHostProcess> StartAsync(string hostAssembly, string? connectionString, string workingDirectory, int port, Func<string> auditorToken, string? dataDirectory = null, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? serveArguments = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(hostAssembly);
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        if (dataDirectory is not null)
        {
            info.ArgumentList.Add("--data-dir");
            info.ArgumentList.Add(dataDirectory);
        }

        foreach (var argument in serveArguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        if (connectionString is not null)
        {
            info.Environment["GRANTFLOW_STORAGE_CONNECTION_STRING"] = connectionString;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.Environment[LocalEngineOptions.CrashRecoveryVariable] = "8"; // resume within seconds of a SIGKILL
        var process = Process.Start(info)!;
        var tail = new Queue<string>(); // the last lines the host wrote, to say why it exited
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 30)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new LocalHostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = host.Address };
        var giveUpAt = DateTimeOffset.UtcNow + StartPatience;
        while (DateTimeOffset.UtcNow < giveUpAt)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                lock (tail)
                {
                    throw new InvalidOperationException($"grantflow serve exited with {process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
                }
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, ApiRoutes.Fill(ApiRoutes.Run, ("runId", "00000000000000000000000000000000")));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auditorToken());
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true); // no host left behind on the soak's storage
        await process.WaitForExitAsync();
        lock (tail)
        {
            throw new TimeoutException($"grantflow serve did not answer within {StartPatience.TotalSeconds:0} s:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
        }
    }

    /// <summary>
    /// How long a started host may take to answer. A host on a machine busy with other work (a test suite beside the
    /// soak) took over 30 s to start once; a slow start is not what a soak checks, so it waits.
    /// </summary>
    public static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(2);

    /// <summary>SIGTERM, then waits for the host to exit (at most <paramref name="patience"/>); returns its exit code, or null if it did not exit.</summary>
    public async Task<int?> TerminateAsync(TimeSpan patience)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
