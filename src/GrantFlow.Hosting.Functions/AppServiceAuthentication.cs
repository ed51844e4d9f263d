using System.Security.Claims;
using System.Text;
using System.Text.Json;
using GrantFlow.Functions.Http;
using GrantFlow.Hosting.Local;
using Microsoft.AspNetCore.Http;

namespace GrantFlow.Hosting.Functions;

/// <summary>How the caller reaches the Functions app: App Service authentication's principal, or the Static Web App's (its linked backend).</summary>
public enum PrincipalSource
{
    /// <summary>Easy Auth v2 with Entra ID: <c>{auth_typ, name_typ, role_typ, claims[]}</c>.</summary>
    AppService,

    /// <summary>A Static Web App's linked backend: <c>{identityProvider, userId, userDetails, userRoles[]}</c>.</summary>
    StaticWebApp,
}

/// <summary>
/// App Service authentication in front of the Functions app, as the Bicep configures it: the bearer token is validated
/// (the local signing key stands in for Entra ID), a client-sent <c>X-MS-CLIENT-PRINCIPAL</c> is dropped, and the
/// principal built from the token's claims is passed on; without a valid token the answer is 401 before the app runs
/// (<c>unauthenticatedClientAction: Return401</c>), except on the published open data's path. Only /api/ is behind it
/// (the console is the Static Web App's).
/// </summary>
public static class AppServiceAuthentication
{
    /// <summary>Headers App Service sets from the principal; a client can never send them through.</summary>
    private static readonly string[] PrincipalHeaders = [ClientPrincipal.HeaderName, "X-MS-CLIENT-PRINCIPAL-NAME", "X-MS-CLIENT-PRINCIPAL-ID", "X-MS-CLIENT-PRINCIPAL-IDP"];

    /// <summary>The path App Service authentication lets through without a token (<c>globalValidation.excludedPaths</c> in infra/app/api.bicep).</summary>
    public const string PublicPath = "/api/public";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(PrincipalSource source) => async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        foreach (var header in PrincipalHeaders)
        {
            http.Request.Headers.Remove(header);
        }

        if (ApiSurface.Caller(http) is not { } caller)
        {
            if (http.Request.Path.StartsWithSegments(PublicPath, StringComparison.OrdinalIgnoreCase))
            {
                await next(http); // excludedPaths: the published open data is read without signing in
                return;
            }

            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        http.Request.Headers[ClientPrincipal.HeaderName] = Encode(source, caller.Name, caller.Roles, http.User);
        http.Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = caller.Name;
        http.Request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad";
        await next(http);
    };

    /// <summary>The principal header's value (base64 JSON) as the platform writes it.</summary>
    public static string Encode(PrincipalSource source, string name, IEnumerable<string> roles, ClaimsPrincipal? user = null)
    {
        object principal = source == PrincipalSource.StaticWebApp
            ? new { identityProvider = "aad", userId = name, userDetails = name, userRoles = roles.Prepend("authenticated").Prepend("anonymous").ToArray() }
            : new
            {
                auth_typ = "aad",
                name_typ = LocalTokens.NameClaim,
                role_typ = LocalTokens.RoleClaim,
                claims = (user?.Claims.Select(c => new { typ = c.Type, val = c.Value }) ?? [])
                    .Where(c => c.typ is not (LocalTokens.NameClaim or LocalTokens.RoleClaim))
                    .Append(new { typ = LocalTokens.NameClaim, val = name })
                    .Concat(roles.Select(r => new { typ = LocalTokens.RoleClaim, val = r }))
                    .ToArray(),
            };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(principal)));
    }
}
