using System.Text.Json;
using GrantFlow.Domain.Validation;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Http;

/// <summary>
/// POST /api/auth/roles: the console's Static Web App asks it, as its <c>rolesSource</c>, which GrantFlow roles a user
/// who just signed in with Entra ID has: the app roles in the token's <c>roles</c> claims that GrantFlow knows
/// (finance-officer, approver, auditor, province:{code}, ...). The Static Web App then forwards those roles to every
/// API call in its principal. Any signed-in caller; it reads only the claims posted and writes nothing.
/// </summary>
public static class RoleSourceEndpoints
{
    public const string Route = ApiRoutes.Roles;
    public const int MaxClaims = 500;

    private static readonly string[] RoleClaimTypes = ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    public static async Task<ApiResult> AssignAsync(ApiCaller caller, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            // Lenient on purpose: the Static Web App posts more than the claims (identity provider, user id, token).
            using var json = JsonDocument.Parse(text!, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return ApiResult.Invalid("Invalid role request", [new ValidationError("claims", null, "an array of {\"typ\", \"val\"} claims is required.").With(ErrorCodes.Required)]);
            }

            if (claims.GetArrayLength() > MaxClaims)
            {
                return ApiResult.Invalid("Invalid role request", [new ValidationError("claims", null, $"{claims.GetArrayLength():N0} claims; at most {MaxClaims:N0}.").With(ErrorCodes.TooLong, ("length", claims.GetArrayLength()), ("limit", MaxClaims))]);
            }

            var roles = claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String && RoleClaimTypes.Contains(typ.GetString(), StringComparer.Ordinal)
                    && c.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("val").GetString()!)
                .Where(GrantFlowRoles.IsKnown)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            return ApiResult.Ok(new { roles });
        }
        catch (JsonException ex)
        {
            return ApiResult.Invalid("Invalid role request", [new ValidationError("body", null, $"invalid JSON: {ex.Message}").With(ErrorCodes.Invalid)]);
        }
    }
}
