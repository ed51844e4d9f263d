using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Storage;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Api;

/// <summary>
/// GET /api/health: whether the API answers and its storage is reachable (any signed-in GrantFlow role; no
/// anonymous endpoint). 200 {"status":"healthy"} or 503 problem+json naming the storage as unreachable.
/// </summary>
public sealed class HealthEndpoints(GrantFlowTables storage)
{
    public const string Route = ApiRoutes.Health;

    public async Task<ApiResult> CheckAsync(ApiCaller caller, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.Runs.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: timeout.Token);
            return ApiResult.Ok(new { status = "healthy", storage = "reachable", checkedAt = DateTimeOffset.UtcNow });
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            return ApiResult.Problem(503, "Unhealthy", "The storage account did not answer within 5 seconds.");
        }
    }
}
