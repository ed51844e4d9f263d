using Azure;

namespace GrantFlow.Workflows.Http;

/// <summary>
/// What a caller is told when a handler fails with an exception it could not have prevented, the same on both hosts
/// (their error middlewares ask here first): the storage service unreachable, failing or too slow is a 503 with
/// Retry-After (try again: nothing was half-written, every write is idempotent or conditional); a ledger holding an
/// entry no release could have written is a 409 pointing to verification. Anything else is a bug (500).
/// </summary>
public static class ApiFailures
{
    /// <summary>Seconds a caller waits before trying again after a storage outage.</summary>
    public const int RetryAfterSeconds = 5;

    public static ApiResult? Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsStorageOutage(exception))
        {
            return ApiResult.Problem(503, "Storage unavailable", $"GrantFlow's storage did not answer in time or failed; nothing was half-written. Try again in {RetryAfterSeconds} seconds.", code: ProblemCodes.StorageUnavailable, args: ApiResult.Args(("retryAfter", RetryAfterSeconds))) with { RetryAfterSeconds = RetryAfterSeconds };
        }

        return exception is StateConflictException conflict
            ? ApiResult.Problem(409, conflict.Title, conflict.Message, code: ProblemCodes.LedgerNotIntact)
            : null;
    }

    /// <summary>
    /// A failure of the storage service or the way to it: a 5xx or 408/429 answer, an answer that never came
    /// (connection refused or dropped, a timeout), as the Azure SDK reports them after its own retries; the Durable Task client's gRPC
    /// transport unavailable the same way.
    /// </summary>
    public static bool IsStorageOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RequestFailedException { Status: 0 or 408 or 429 or >= 500 }:
                case HttpRequestException:
                case IOException:
                case TimeoutException:
                case System.Net.Sockets.SocketException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsStorageOutage):
                    return true;
                case Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.ResourceExhausted }:
                    return true;
            }
        }

        return false;
    }
}
