using GrantFlow.Contracts;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>
/// The published open data over HTTP, read-only and open to anyone (the local host's public path; in Azure the public
/// container serves the same files), and a finance officer's "publish now" for a released run whose publication
/// failed or that was released before publication existed.
/// </summary>
public sealed class DisclosureEndpoints(DisclosureStore store, ReleasePublisher publisher, TimeProvider time)
{
    /// <summary>GET /api/public/feed.atom, /api/public/index/{year|latest}.json, /api/public/releases/{run}.{json|csv}: the file as published; 404 otherwise.</summary>
    public async Task<ApiResult> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!DisclosureStore.IsPublishedPath(path))
        {
            return NotPublished(path);
        }

        return await store.ReadAsync(path, cancellationToken) is { } found
            ? new ApiResult(200, found.Content, ReleaseDocuments.ContentType(path)!)
            : NotPublished(path);
    }

    /// <summary>POST /api/runs/{runId}/publication (finance officer): publishes a released run now; 200 with its summary (the first publication stands).</summary>
    public async Task<ApiResult> PublishAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (ApiRequests.InvalidRunId(runId) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var release = await publisher.PublishAsync(runId, time.GetUtcNow(), cancellationToken);
            return ApiResult.Ok(release.Summary());
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResult.Problem(404, "Not found", ex.Message, code: ProblemCodes.NotFound);
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
    }

    private static ApiResult NotPublished(string path) =>
        ApiResult.Problem(404, "Not found", $"nothing is published at {Identifiers.Quote(path.Length > 80 ? path[..80] : path)}; the feed (public/feed.atom) and the yearly indexes (public/index/{{year}}.json) list what is.", code: ProblemCodes.NotFound);
}
