using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Chasing;

/// <summary>GET /api/chases: the notices still unacknowledged, most chased first (finance officers, auditors).</summary>
public sealed class ChaseEndpoints(OpenNotices open)
{
    public const string Route = ApiRoutes.Chases;
    public const string OverdueRoute = ApiRoutes.OverduePassDowns;

    public async Task<ApiResult> ListAsync(ApiCaller caller, CancellationToken cancellationToken = default)
    {
        var notices = await open.ListAsync(cancellationToken);
        return ApiResult.Ok(notices.OrderByDescending(n => n.Level).ThenByDescending(n => n.Chases).ThenBy(n => n.SentAt).ThenBy(n => n.NoticeNumber, StringComparer.Ordinal).ToList());
    }

    /// <summary>GET /api/pass-downs/overdue: notices not passed down within the deadline (finance officers, auditors).</summary>
    public async Task<ApiResult> OverdueAsync(ApiCaller caller, CancellationToken cancellationToken = default)
    {
        var pending = await open.PendingPassDownsAsync(cancellationToken);
        return ApiResult.Ok(pending.Where(p => p.OverdueSince is not null).OrderBy(p => p.SentAt).ThenBy(p => p.NoticeNumber, StringComparer.Ordinal).ToList());
    }
}
