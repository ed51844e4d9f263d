using System.Text.Json;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Storage;
using Microsoft.AspNetCore.Http;

namespace GrantFlow.Hosting.Local;

/// <summary>Writes an <see cref="ApiResult"/> to an ASP.NET Core response (JSON or problem+json).</summary>
public static class ApiResponses
{
    /// <summary>The query string as the API handlers take it.</summary>
    public static IReadOnlyDictionary<string, string?> Query(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    public static async Task WriteAsync(HttpContext http, ApiResult result)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(result);
        http.Response.StatusCode = result.Status;
        if (result.Location is not null)
        {
            http.Response.Headers.Location = result.Location;
        }

        if (result.Status == 401)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        http.Response.ContentType = result.ContentType;
        if (result.Body is byte[] file)
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{result.FileName}\"";
            await http.Response.Body.WriteAsync(file, http.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(http.Response.Body, result.Body, result.Body?.GetType() ?? typeof(object), WorkflowJson.Options, http.RequestAborted);
    }
}
