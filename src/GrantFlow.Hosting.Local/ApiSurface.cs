using System.Security.Claims;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrantFlow.Hosting.Local;

/// <summary>
/// What answers under /api/ on the local host: GrantFlow's operations table directly (<see cref="OperationsTable"/>,
/// the default), or the Functions app's own triggers behind an App Service authentication stand-in (the
/// GrantFlow.Hosting.Functions project). The rest of the host (the console, the local sign-in, the API reference, the
/// bearer tokens) is the same for both.
/// </summary>
public abstract class ApiSurface
{
    /// <summary>A name for people ("the operations table", "the Functions app's triggers").</summary>
    public abstract string Description { get; }

    /// <summary>Services the surface needs in the host (none for the operations table).</summary>
    public virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    /// <summary>Maps the API, after bearer authentication has run (the operations table answers with the <see cref="GrantFlowApi"/> the host holds).</summary>
    public abstract void Map(WebApplication app);

    /// <summary>The operations table mapped directly: each entry's handler with the caller from the local bearer token.</summary>
    public static ApiSurface OperationsTable { get; } = new Direct();

    /// <summary>The authenticated caller of a request, from its validated local bearer token; null when anonymous.</summary>
    public static ApiCaller? Caller(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(LocalTokens.NameClaim) is not { Length: > 0 } name)
        {
            return null;
        }

        return new ApiCaller(name, user.FindAll(LocalTokens.RoleClaim).Select(c => c.Value).Where(GrantFlow.Contracts.GrantFlowRoles.IsKnown).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Why the caller is anonymous: no Authorization header, an expired token, or a token not valid here (the bearer
    /// scheme is asked again for its failure, which the authentication middleware does not keep; only on a 401).
    /// </summary>
    public static async Task<string> TokenStateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(http.Request.Headers.Authorization.ToString()))
        {
            return ApiResult.TokenMissing;
        }

        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http, JwtBearerDefaults.AuthenticationScheme);
        return result.Failure is Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException ? ApiResult.TokenExpired : ApiResult.TokenInvalid;
    }

    private sealed class Direct : ApiSurface
    {
        public override string Description => "the operations table";

        public override void Map(WebApplication app)
        {
            var routes = app.MapGroup("/api");
            foreach (var operation in ApiOperations.All)
            {
                routes.MapMethods("/" + operation.Route, [operation.Method.ToUpperInvariant()], (HttpContext http, GrantFlowApi engineApi) =>
                    operation.InvokeAsync(http, Caller(http), () => engineApi, RouteValues(http), () => TokenStateAsync(http)));
            }
        }

        private static Dictionary<string, string> RouteValues(HttpContext http) =>
            http.Request.RouteValues.Where(v => v.Value is string).ToDictionary(v => v.Key, v => (string)v.Value!, StringComparer.Ordinal);
    }
}
