using GrantFlow.Workflows.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace GrantFlow.Functions.Http;

/// <summary>
/// Worker middleware: an exception no HTTP handler expected is answered as the local host answers it
/// (<see cref="ApiResponses.WriteUnhandledAsync"/>): a storage outage 503 with Retry-After, a ledger not intact 409,
/// anything else a bug, 500 problem+json with no internals, logged.
/// </summary>
public sealed class UnhandledErrorProblemMiddleware(ILogger<UnhandledErrorProblemMiddleware> logger) : IFunctionsWorkerMiddleware
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
            await ApiResponses.WriteUnhandledAsync(http, ex, logger);
        }
    }
}
