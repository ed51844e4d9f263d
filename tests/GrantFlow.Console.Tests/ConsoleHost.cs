using System.Diagnostics;
using System.Globalization;
using GrantFlow.Hosting.Local;
using GrantFlow.Hosting.Local.Soak;
using GrantFlow.Workflows.Http;
using Microsoft.Playwright;
using GrantFlow.Contracts;

namespace GrantFlow.Console.Tests;

/// <summary>
/// <c>grantflow serve</c> (the console and the API, same origin) over Azurite with the real engine, on a folder where
/// <c>grantflow demo</c> released the 2026 advance of the three programs first, and a headless Debian Chromium driven
/// by Playwright (<c>/usr/bin/chromium</c>; nothing is downloaded). Screenshots go to <see cref="Artifacts"/>.
/// </summary>
public class ConsoleHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-console-" + Guid.NewGuid().ToString("N")[..8]);
    private LocalHostProcess? _serve;
    private IPlaywright? _playwright;

    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "grantflow.dll");

    /// <summary>Where the browser tests leave their screenshots and downloads (kept after the run).</summary>
    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "console-artifacts");

    public Uri Address => _serve!.Address;

    /// <summary>The working folder of serve (its signing key, and its Azurite under <c>azurite/</c>).</summary>
    public string Home => _home;

    public IBrowser Browser { get; private set; } = default!;

    public LocalTokens Tokens { get; private set; } = default!;

    /// <summary>What <c>grantflow serve</c> is given besides its port and folder (the Functions host: <c>--host functions</c>).</summary>
    protected virtual IReadOnlyList<string> ServeArguments => [];

    /// <summary>How long the demo took to release the 2026 advance before the console started.</summary>
    public TimeSpan DemoTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests drive Debian's Chromium at {ChromiumPath}: apt-get install -y chromium (bash .ci/run installs it).");
        }

        Directory.CreateDirectory(_home);
        Directory.CreateDirectory(Artifacts);
        var started = Stopwatch.GetTimestamp();
        await RunCliAsync("demo", "--data-dir", "azurite");
        DemoTime = Stopwatch.GetElapsedTime(started);
        Tokens = LocalTokens.Load(Path.Combine(_home, ".grantflow", "signing-key"));
        _serve = await LocalHostProcess.StartAsync(HostAssembly, connectionString: null, _home, LoopbackPorts.Free(), () => Tokens.Mint("probe", [GrantFlowRoles.Auditor], TimeSpan.FromMinutes(5)), "azurite", serveArguments: ServeArguments);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in CI, and with no network beyond loopback: no sandbox, no background connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (its own storage: one signed-in user) with a page on the console.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, // a laptop screen
            AcceptDownloads = true,
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(30_000);

        // An expectation right after opening a fresh context waits for a cold WebAssembly start: 4-6 s measured on two
        // busy cores (timings.txt), so Playwright's 5 s default fails by chance; the first-load test reports the time.
        Assertions.SetDefaultExpectTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // A refused request (4xx) is logged by the browser as "Failed to load resource"; the page shows the problem.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Errors the browser's console printed (a Blazor exception shows here).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ConsoleErrors { get; } = [];

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = false });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_serve is not null)
        {
            await _serve.TerminateAsync(TimeSpan.FromSeconds(30));
            await _serve.DisposeAsync();
        }

        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Azurite may still be closing its files; the folder is under /tmp.
        }
    }

    private async Task RunCliAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _home, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(HostAssembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var said = await output + await error;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"grantflow {string.Join(' ', arguments)} exited {process.ExitCode}: {said}"));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleTestGroup : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}

/// <summary><c>grantflow serve --host functions</c>: the same console over the Functions app's own triggers and functions.</summary>
public sealed class FunctionsConsoleHost : ConsoleHost
{
    protected override IReadOnlyList<string> ServeArguments => ["--host", "functions"];
}

[CollectionDefinition(Name)]
public sealed class FunctionsConsoleTestGroup : ICollectionFixture<FunctionsConsoleHost>
{
    public const string Name = "console-functions";
}
