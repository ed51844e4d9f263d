using System.Text.Json;
using GrantFlow.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Workflows.Http;

/// <summary>
/// The one way both hosts answer over HTTP (the Functions app runs with ASP.NET Core integration, so it writes the
/// same response): an <see cref="ApiResult"/> written with its status,
/// Location, WWW-Authenticate, Retry-After, Content-Type and Content-Disposition, and an exception no handler expected
/// answered as problem+json.
/// </summary>
public static partial class ApiResponses
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);

    /// <summary>The query string as the API handlers take it.</summary>
    public static IReadOnlyDictionary<string, string?> Query(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Middleware: an exception no handler expected is a bug; the caller still gets problem+json (500, no internals)
    /// and the exception is logged, instead of an empty body.
    /// </summary>
    public static async Task ProblemOnUnhandledExceptionAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(http);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            await WriteAsync(http, ApiResult.Problem(ex.StatusCode, "Bad request", ex.Message));
        }
        catch (Exception ex) when (!http.Response.HasStarted && (ApiFailures.Classify(ex) is not null || ex is not OperationCanceledException))
        {
            await WriteUnhandledAsync(http, ex, http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("GrantFlow.Api"));
        }
    }

    /// <summary>Answers with the problem of an exception no handler expected: a storage outage (503) or an unintact ledger (409) say what to do; anything else is a bug (500, logged).</summary>
    public static async Task WriteUnhandledAsync(HttpContext http, Exception exception, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        var problem = ApiFailures.Classify(exception);
        if (problem is null)
        {
            if (logger is not null)
            {
                LogUnhandled(logger, exception, http.Request.Path);
            }

            problem = ApiResult.Problem(500, "Internal error", "The request failed unexpectedly; it has been logged. Nothing was written unless the response said so.");
        }

        http.Response.Clear();
        await WriteAsync(http, problem);
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

        if (result.RetryAfterSeconds is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.ContentType = result.ContentType;
        if (result.Body is byte[] file)
        {
            if (result.FileName is { } name)
            {
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            }

            await http.Response.Body.WriteAsync(file, http.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(http.Response.Body, result.Body, result.Body?.GetType() ?? typeof(object), WorkflowJson.Options, http.RequestAborted);
    }
}
