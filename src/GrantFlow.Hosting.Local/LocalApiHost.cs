using System.Globalization;
using System.Security.Claims;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// The HTTP API on the local host: the same routes as the Functions app, mapped to the same <see cref="GrantFlowApi"/>,
/// with callers authenticated by local bearer tokens (<see cref="LocalTokens"/>).
/// </summary>
public sealed class LocalApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The routes this host maps: (method in lower case, route under /api/) — checked against the OpenAPI document.</summary>
    public IReadOnlyList<(string Method, string Route)> Routes =>
        [.. _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m.ToLowerInvariant(), e.RoutePattern.RawText!["/api/".Length..])))];

    /// <summary>How long a token from the local sign-in lasts.</summary>
    public static readonly TimeSpan SignInLifetime = TimeSpan.FromHours(8);

    public static async Task<LocalApiHost> StartAsync(GrantFlowApi api, LocalTokens tokens, int port, ConsoleSite? console = null, ApiSurface? surface = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        surface ??= ApiSurface.OperationsTable;
        // The console's published files are the web root (index.html falls back to it); MapStaticAssets serves them
        // as its manifest says: compressed variants by Accept-Encoding, fingerprinted files immutable.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { WebRootPath = console?.WebRoot });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        builder.WebHost.UseUrls(url);
        // The API reads and bounds bodies itself (413 problem+json); Kestrel's own limit only stops the absurd.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4L * ApiLimits.MaxBodyBytes);
        builder.Services.AddSingleton(api);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, OwnerControlledLifetime>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.RequireHttpsMetadata = false;
                options.MapInboundClaims = false;
                options.TokenValidationParameters = tokens.ValidationParameters();
            });
        builder.Services.AddAuthorization();
        surface.ConfigureServices(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        app.Use(ApiResponses.ProblemOnUnhandledExceptionAsync);
        surface.Map(app);

        MapLocalSignIn(app, tokens);
        MapApiReference(app);
        if (console is not null)
        {
            app.MapStaticAssets(console.EndpointsManifest);
            app.MapFallback("/api/{**path}", NoRouteAsync);
            app.MapFallbackToFile("{*path:nonfile}", "index.html");
        }
        else
        {
            app.MapFallback(NoRouteAsync);
        }

        await app.StartAsync(cancellationToken);
        return new LocalApiHost(app, new Uri(url));
    }

    private static async Task NoRouteAsync(HttpContext http) =>
        await ApiResponses.WriteAsync(http, ApiResult.Problem(404, "Not found", $"No GrantFlow route matches {http.Request.Method} {Shorten(http.Request.Path)}."));

    /// <summary>
    /// The local identity provider of the console: <c>GET /local/users</c> lists the demo users, <c>POST
    /// /local/sign-in</c> with <c>{"user": name}</c> mints that user's token (as <c>grantflow token</c> does). Loopback
    /// only, like the whole local host; it writes nothing. In Azure, the Static Web App signs users in with Entra ID.
    /// </summary>
    private static void MapLocalSignIn(WebApplication app, LocalTokens tokens)
    {
        app.MapGet("/local/users", () => Results.Json(DemoUsers.All, WorkflowJsonOptions));
        app.MapPost("/local/sign-in", async (HttpContext http) =>
        {
            var (text, refused) = await new ApiRequestBody(http.Request.ContentType, http.Request.Body, http.Request.ContentLength).ReadJsonAsync(http.RequestAborted);
            if (refused is not null)
            {
                await ApiResponses.WriteAsync(http, refused);
                return;
            }

            string? name = null;
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(text!, new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
                name = json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("user", out var user) && user.ValueKind == System.Text.Json.JsonValueKind.String ? user.GetString() : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }

            if (DemoUsers.Find(name) is not { } demo)
            {
                await ApiResponses.WriteAsync(http, ApiResult.Invalid("Unknown user", [new GrantFlow.Domain.Validation.ValidationError("user", null, $"{GrantFlow.Domain.Validation.Identifiers.Quote(name)} is not a demo user of the local host (GET /local/users lists them).")]));
                return;
            }

            var expires = DateTimeOffset.UtcNow.Add(SignInLifetime);
            await ApiResponses.WriteAsync(http, ApiResult.Ok(new { demo.User, demo.Roles, Token = tokens.Mint(demo.User, demo.Roles, SignInLifetime), ExpiresAt = expires }));
        });
    }

    /// <summary>The path of the interactive API reference (Scalar) on the local host.</summary>
    public const string ReferencePath = "/scalar";

    /// <summary>
    /// The interactive API reference (Scalar, served from the package, nothing from a CDN) over /api/openapi.json.
    /// The document and every call need a token, as all routes do: the page takes the one the console's sign-in keeps
    /// in this tab (sessionStorage), and sends it on its own calls to /api/ only; without a sign-in it shows the 401.
    /// </summary>
    private static void MapApiReference(WebApplication app) =>
        app.MapScalarApiReference(options =>
        {
            options.Title = "GrantFlow API";
            options.AddDocument("v1", "GrantFlow API", "/api/" + GrantFlowApi.OpenApiRoute, isDefault: true);
            options.AddHeadContent(ReferenceTokenScript);
            // Nothing from outside the origin: no web fonts, no telemetry, no AI agent (the browser test checks).
            options.DisableDefaultFonts().DisableTelemetry().DisableAgent();
        });

    private const string ReferenceTokenScript = """
        <script>
          (function () {
            var stored = sessionStorage.getItem('grantflow.session');
            var token = stored ? JSON.parse(stored).token : null;
            if (!token) { return; }
            var send = window.fetch;
            window.fetch = function (input, init) {
              var url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, location.href);
              if (url.origin === location.origin && url.pathname.indexOf('/api/') === 0) {
                init = init || {};
                var headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
                // Scalar's "Test Request" sends the document's bearer scheme with an empty token: fill it in.
                var given = headers.get('Authorization');
                if (!given || /^Bearer\s*$/i.test(given)) { headers.set('Authorization', 'Bearer ' + token); }
                init.headers = headers;
              }
              return send.call(this, input, init);
            };
          })();
        </script>
        """;

    private static System.Text.Json.JsonSerializerOptions WorkflowJsonOptions => GrantFlow.Workflows.Storage.WorkflowJson.Options;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Shorten(PathString path) => path.Value is { Length: > 100 } long_ ? long_[..100] + "..." : path.Value ?? "/";
}
