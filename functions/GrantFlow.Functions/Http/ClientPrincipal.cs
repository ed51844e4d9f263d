using System.Text;
using System.Text.Json;
using GrantFlow.Workflows.Http;
using Microsoft.AspNetCore.Http;
using GrantFlow.Contracts;

namespace GrantFlow.Functions.Http;

/// <summary>
/// The caller as App Service authentication (Easy Auth) passes it: the base64 JSON of the X-MS-CLIENT-PRINCIPAL
/// header, whose role claims carry the Entra ID app roles (finance-officer, approver, auditor, province:{code}).
/// Behind the console's Static Web App (its linked backend), the header is the Static Web App's principal instead:
/// <c>userDetails</c> and <c>userRoles</c> (the roles its rolesSource, POST /api/auth/roles, assigned).
/// App Service authentication must be on (infra does it), so the header cannot come from outside.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Why a request has no caller: no principal header ("missing") or one that cannot be read ("invalid"). App Service rejects expired tokens before the app.</summary>
    public static string TokenState(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header) ? ApiResult.TokenInvalid : ApiResult.TokenMissing;
    }

    public static ApiCaller? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(HeaderName, out var header) || string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.ToString())));
            var root = doc.RootElement;
            if (root.TryGetProperty("userRoles", out var userRoles))
            {
                var user = root.TryGetProperty("userDetails", out var details) ? details.GetString() : null;
                return string.IsNullOrEmpty(user)
                    ? null
                    : new ApiCaller(user, userRoles.EnumerateArray().Select(r => r.GetString() ?? string.Empty).Where(GrantFlowRoles.IsKnown).ToHashSet(StringComparer.Ordinal));
            }

            var nameType = root.TryGetProperty("name_typ", out var n) ? n.GetString() : null;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() : "roles";
            string? name = null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var claim in root.GetProperty("claims").EnumerateArray())
            {
                var type = claim.GetProperty("typ").GetString();
                var value = claim.GetProperty("val").GetString() ?? string.Empty;
                if (type == nameType || (name is null && type is "name" or "preferred_username"))
                {
                    name = value;
                }
                else if ((type == roleType || type == "roles") && GrantFlowRoles.IsKnown(value))
                {
                    roles.Add(value);
                }
            }

            return string.IsNullOrEmpty(name) ? null : new ApiCaller(name, roles);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
