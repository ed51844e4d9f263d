using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Hosting.Local.Faults;

/// <summary>The kinds of fault the proxy injects.</summary>
public static class StorageFaults
{
    /// <summary>A 500 InternalError answer; the request never reaches the storage.</summary>
    public const string Error500 = "500";

    /// <summary>A 503 ServerBusy answer; the request never reaches the storage.</summary>
    public const string Error503 = "503";

    /// <summary>The connection dropped before the request reached the storage.</summary>
    public const string DropBefore = "drop-before";

    /// <summary>The request was carried out, then the connection dropped before the answer: the caller cannot tell.</summary>
    public const string DropAfter = "drop-after";

    /// <summary>The request was carried out, then no answer for a long while, then the connection dropped.</summary>
    public const string Timeout = "timeout";

    /// <summary>The answer comes, seconds late.</summary>
    public const string Slow = "slow";

    public static readonly IReadOnlyList<string> All = [Error500, Error503, DropBefore, DropAfter, Timeout, Slow];
}

/// <summary>
/// A storage service that misbehaves, for tests and the soak: a loopback-only HTTP proxy in front of Azurite's blob,
/// queue and table endpoints that, for a seeded random share of requests (<see cref="Rate"/>), answers 500 or 503
/// without forwarding, drops the connection before or after the storage carried the request out, holds the answer and
/// then drops it, or answers seconds late. Everything else is forwarded unchanged (Shared Key signatures do not cover
/// the host, so clients sign as for Azurite). <see cref="ConnectionString"/> points GrantFlow at the proxy.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private static readonly string[] ServiceNames = ["Blob", "Queue", "Table"];

    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, int> _injected = new(StringComparer.Ordinal);
    private long _requests;

    private StorageFaultProxy(WebApplication app, string connectionString, int seed, double rate)
    {
        _app = app;
        ConnectionString = connectionString;
        _random = new Random(seed);
        Rate = rate;
    }

    /// <summary>The share of requests that meet a fault (0 to 1); may be changed while the proxy runs.</summary>
    public double Rate { get; set; }

    /// <summary>How long a <see cref="StorageFaults.Timeout"/> holds the answer before dropping it.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Requests never faulted, by service ("table", "queue", "blob") and path (e.g. the engine's partition leases, whose
    /// loss costs a whole lease interval and is proven by the kill tests instead); null spares nothing.
    /// </summary>
    public Func<string, string, bool>? Spare { get; set; }

    /// <summary>A <see cref="Spare"/> for a Durable task hub: its tables, queues and lease container are named after it.</summary>
    public static Func<string, string, bool> SpareTaskHub(string taskHubName) =>
        (_, path) => path.Contains("/" + taskHubName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A fault chosen for one request by service ("table", "queue", "blob"), method and path (one of
    /// <see cref="StorageFaults.All"/>, or null for none), before and besides the random ones: a test fails the exact
    /// request it means to. Counted like the others.
    /// </summary>
    public Func<string, string, string, string?>? Script { get; set; }

    /// <summary>The connection string of the proxied storage (same account and key as Azurite).</summary>
    public string ConnectionString { get; }

    /// <summary>Requests seen.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Faults injected, by kind ("500", "503", "drop-before", "drop-after", "timeout", "slow") and service ("table:503").</summary>
    public IReadOnlyDictionary<string, int> Injected => new Dictionary<string, int>(_injected, StringComparer.Ordinal);

    /// <summary>All faults injected.</summary>
    public int InjectedTotal => _injected.Where(p => !p.Key.Contains(':', StringComparison.Ordinal)).Sum(p => p.Value);

    /// <summary>Starts the proxy in front of the storage of <paramref name="azuriteConnectionString"/> (loopback only).</summary>
    public static async Task<StorageFaultProxy> StartAsync(string azuriteConnectionString, double rate, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(azuriteConnectionString);
        if (rate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "a share of requests from 0 to 1.");
        }

        var parts = azuriteConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var services = ServiceNames.Select(s => (Name: s.ToLowerInvariant(), Key: s + "Endpoint", Target: new Uri(parts[s + "Endpoint"]), Port: LoopbackPorts.Free())).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            foreach (var service in services)
            {
                kestrel.Listen(IPAddress.Loopback, service.Port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        var proxied = azuriteConnectionString;
        foreach (var service in services)
        {
            proxied = proxied.Replace($"{service.Key}={parts[service.Key]}", string.Create(CultureInfo.InvariantCulture, $"{service.Key}=http://127.0.0.1:{service.Port}{service.Target.AbsolutePath.TrimEnd('/')}"), StringComparison.OrdinalIgnoreCase);
        }

        var proxy = new StorageFaultProxy(app, proxied, seed, rate);
        var byPort = services.ToDictionary(s => s.Port, s => (s.Name, Origin: new Uri(s.Target.GetLeftPart(UriPartial.Authority))));
        app.Run(http => proxy.HandleAsync(http, byPort[http.Connection.LocalPort]));
        await app.StartAsync(cancellationToken);
        return proxy;
    }

    private string? Draw(string service, string path)
    {
        if (Spare?.Invoke(service, path) == true)
        {
            return null;
        }

        lock (_random)
        {
            return _random.NextDouble() < Rate ? StorageFaults.All[_random.Next(StorageFaults.All.Count)] : null;
        }
    }

    private void Count(string fault, string service)
    {
        _injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
        _injected.AddOrUpdate($"{service}:{fault}", 1, (_, n) => n + 1);
    }

    private async Task HandleAsync(HttpContext http, (string Name, Uri Origin) service)
    {
        Interlocked.Increment(ref _requests);
        var path = http.Request.Path.Value ?? string.Empty;
        var fault = Script?.Invoke(service.Name, http.Request.Method, path) ?? Draw(service.Name, path);
        if (fault is not null)
        {
            Count(fault, service.Name);
        }

        switch (fault)
        {
            case StorageFaults.Error500 or StorageFaults.Error503:
                await AnswerErrorAsync(http, service.Name, fault == StorageFaults.Error500 ? 500 : 503);
                return;
            case StorageFaults.DropBefore:
                http.Abort();
                return;
            case StorageFaults.Slow:
                await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(2_500)), http.RequestAborted);
                break;
        }

        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(service.Origin, http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent()));
        if (http.Request.ContentLength is not null || http.Request.Headers.ContentType.Count > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(http.Request.Body);
        }

        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        if (fault is StorageFaults.DropAfter or StorageFaults.Timeout)
        {
            await response.Content.LoadIntoBufferAsync(http.RequestAborted); // carried out by the storage
            if (fault == StorageFaults.Timeout)
            {
                await Task.Delay(Hold, http.RequestAborted);
            }

            http.Abort();
            return;
        }

        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    /// <summary>The error as the storage service words it (XML for blobs and queues, JSON for tables).</summary>
    private static async Task AnswerErrorAsync(HttpContext http, string service, int status)
    {
        var code = status == 503 ? "ServerBusy" : "InternalError";
        var message = status == 503 ? "The server is busy (injected by the fault proxy)." : "The server encountered an internal error (injected by the fault proxy).";
        http.Response.StatusCode = status;
        http.Response.Headers["x-ms-error-code"] = code;
        if (service == "table")
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["odata.error"] = new { code, message = new { lang = "en-US", value = message } } }));
        }
        else
        {
            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync($"""<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }
}
