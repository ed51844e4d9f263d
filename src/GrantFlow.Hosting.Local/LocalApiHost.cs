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

    public static async Task<LocalApiHost> StartAsync(GrantFlowApi api, LocalTokens tokens, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        builder.WebHost.UseUrls(url);
        builder.Services.AddSingleton(api);
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
        var routes = app.MapGroup("/api");
        routes.MapPost("/" + GrantFlowApi.StartRunRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.StartRunAsync(Caller(http), await Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.RunRoute, async (HttpContext http, string runId, GrantFlowApi handlers) =>
            await Answer(http, await handlers.GetRunAsync(Caller(http), runId, http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.DecisionsRoute, async (HttpContext http, string runId, GrantFlowApi handlers) =>
            await Answer(http, await handlers.DecideAsync(Caller(http), runId, await Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerRoute, async (HttpContext http, string runId, GrantFlowApi handlers) =>
            await Answer(http, await handlers.GetLedgerAsync(Caller(http), runId, http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.NoticesRoute, async (HttpContext http, string code, GrantFlowApi handlers) =>
            await Answer(http, await handlers.GetNoticesAsync(Caller(http), code, http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.CorrectionsRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.StartCorrectionAsync(Caller(http), await Body(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.SettlementsRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.StartSettlementAsync(Caller(http), await Body(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerQueryRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.QueryLedgerAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerTotalsRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.LedgerTotalsAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerExportRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.ExportLedgerAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.LedgerVerifyRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.VerifyLedgerAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
        routes.MapPost("/" + GrantFlowApi.AcknowledgeRoute, async (HttpContext http, string code, string noticeNumber, GrantFlowApi handlers) =>
            await Answer(http, await handlers.AcknowledgeNoticeAsync(Caller(http), code, noticeNumber, http.RequestAborted)));
        routes.MapGet("/" + GrantFlowApi.MonthlyReportRoute, async (HttpContext http, GrantFlowApi handlers) =>
            await Answer(http, await handlers.MonthlyReportAsync(Caller(http), ApiResponses.Query(http), http.RequestAborted)));
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

    private static async Task<string> Body(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    private static Task Answer(HttpContext http, ApiResult result) => ApiResponses.WriteAsync(http, result);
}
