using System.Globalization;
using System.Security.Claims;
using GrantFlow.Workflows.Api;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    public static async Task<LocalApiHost> StartAsync(GrantFlowApi api, LocalTokens tokens, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var builder = WebApplication.CreateSlimBuilder();
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
        var app = builder.Build();
        app.UseAuthentication();
        app.Use(ApiResponses.ProblemOnUnhandledExceptionAsync);
        var routes = app.MapGroup("/api");
        routes.MapGet("/" + GrantFlowApi.ListRunsRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.RunList.ListAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.OpenApiRoute, async (HttpContext http) =>
            await Answer(http, OpenApiEndpoints.Get(Caller(http))));
        routes.MapGet("/" + GrantFlowApi.HealthRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Health.CheckAsync(Caller(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.StartRunRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Runs.StartRunAsync(Caller(http), Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.RunRoute, async (HttpContext http, string runId, GrantFlowApi api) =>
            await Answer(http, await api.Runs.GetRunAsync(Caller(http), runId, http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.DecisionsRoute, async (HttpContext http, string runId, GrantFlowApi api) =>
            await Answer(http, await api.Runs.DecideAsync(Caller(http), runId, Body(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.CorrectionsRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Runs.StartCorrectionAsync(Caller(http), Body(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.SettlementsRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Runs.StartSettlementAsync(Caller(http), Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerRoute, async (HttpContext http, string runId, GrantFlowApi api) =>
            await Answer(http, await api.Ledger.RunLedgerAsync(Caller(http), runId, http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerQueryRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Ledger.QueryAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerTotalsRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Ledger.TotalsAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerExportRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Ledger.ExportAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerVerifyRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Ledger.VerifyAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.NoticesRoute, async (HttpContext http, string code, GrantFlowApi api) =>
            await Answer(http, await api.Notices.ListAsync(Caller(http), code, http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.AcknowledgeRoute, async (HttpContext http, string code, string noticeNumber, GrantFlowApi api) =>
            await Answer(http, await api.Notices.AcknowledgeAsync(Caller(http), code, noticeNumber, http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.MonthlyReportRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Reports.MonthlyAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.ChasesRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Chases.ListAsync(Caller(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.OpenDisputeRoute, async (HttpContext http, string code, string noticeNumber, GrantFlowApi api) =>
            await Answer(http, await api.Disputes.OpenAsync(Caller(http), code, noticeNumber, Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.DisputesRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Disputes.ListAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.ResolveDisputeRoute, async (HttpContext http, string code, string noticeNumber, GrantFlowApi api) =>
            await Answer(http, await api.Disputes.ResolveAsync(Caller(http), code, noticeNumber, Body(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.PassDownRoute, async (HttpContext http, string code, GrantFlowApi api) =>
            await Answer(http, await api.PassDowns.StartAsync(Caller(http), code, Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.CountyNoticesRoute, async (HttpContext http, string code, GrantFlowApi api) =>
            await Answer(http, await api.PassDowns.CountyNoticesAsync(Caller(http), code, http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.CountyAcknowledgeRoute, async (HttpContext http, string code, string noticeNumber, GrantFlowApi api) =>
            await Answer(http, await api.PassDowns.AcknowledgeAsync(Caller(http), code, noticeNumber, http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.OverduePassDownsRoute, async (HttpContext http, GrantFlowApi api) =>
            await Answer(http, await api.Chases.OverdueAsync(Caller(http), http.RequestAborted)));
        app.MapFallback(async (HttpContext http) =>
            await Answer(http, ApiResult.Problem(404, "Not found", $"No GrantFlow route matches {http.Request.Method} {Shorten(http.Request.Path)}.")));
        await app.StartAsync(cancellationToken);
        return new LocalApiHost(app, new Uri(url));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The authenticated caller, or null (anonymous or an invalid token).</summary>
    private static ApiCaller? Caller(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(LocalTokens.NameClaim) is not { Length: > 0 } name)
        {
            return null;
        }

        return new ApiCaller(name, user.FindAll(LocalTokens.RoleClaim).Select(c => c.Value).Where(GrantFlowRoles.IsKnown).ToHashSet(StringComparer.Ordinal));
    }

    private static string Shorten(PathString path) => path.Value is { Length: > 100 } long_ ? long_[..100] + "..." : path.Value ?? "/";

    private static ApiRequestBody Body(HttpContext http) => new(http.Request.ContentType, http.Request.Body, http.Request.ContentLength);

    private static async Task Answer(HttpContext http, ApiResult result) =>
        await ApiResponses.WriteAsync(http, result.Status == 401 ? result.WithTokenProblem(await TokenStateAsync(http)) : result);

    /// <summary>
    /// Why the caller is anonymous: no Authorization header, an expired token, or a token not valid here (the bearer
    /// scheme is asked again for its failure, which the authentication middleware does not keep; only on a 401).
    /// </summary>
    private static async Task<string> TokenStateAsync(HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(http.Request.Headers.Authorization.ToString()))
        {
            return ApiResult.TokenMissing;
        }

        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http, JwtBearerDefaults.AuthenticationScheme);
        return result.Failure is Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException ? ApiResult.TokenExpired : ApiResult.TokenInvalid;
    }
}
