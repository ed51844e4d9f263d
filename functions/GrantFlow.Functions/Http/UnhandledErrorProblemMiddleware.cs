using System.Text.Json;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Functions.Http;

/// <summary>
/// Worker middleware: an exception no HTTP handler expected is a bug; the caller still gets problem+json (500, no
/// internals) instead of an empty body, and the exception is logged. The local host does the same
/// (ApiResponses.UnhandledErrorProblemMiddlewareAsync).
/// </summary>
public sealed partial class UnhandledErrorProblemMiddleware(ILogger<UnhandledErrorProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http && (ApiFailures.Classify(ex) is not null || ex is not OperationCanceledException))
        {
            // A storage outage (503, Retry-After) or a ledger that is not intact (409) tells the caller what to do;
            // anything else is a bug, logged.
            var problem = ApiFailures.Classify(ex);
            if (problem is null)
            {
                LogUnhandled(logger, ex, context.FunctionDefinition.Name);
                problem = ApiResult.Problem(500, "Internal error", "The request failed unexpectedly; it has been logged. Nothing was written unless the response said so.");
            }

            http.Response.Clear();
            if (problem.RetryAfterSeconds is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            http.Response.StatusCode = problem.Status;
            http.Response.ContentType = problem.ContentType;
            await http.Response.WriteAsync(JsonSerializer.Serialize(problem.Body, WorkflowJson.Options), http.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in function {Function}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string function);
}
