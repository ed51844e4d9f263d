using GrantFlow.Contracts;
using GrantFlow.Domain.Approvals;

namespace GrantFlow.Console.Services;

/// <summary>
/// What waits for the signed-in user: the runs awaiting a stage they may decide (what segregation of duties forbids
/// is left out, as the server would refuse it), and a province's notices not yet acknowledged. The navigation shows
/// the counts; the approval queue lists the runs.
/// </summary>
public sealed class PendingWork(ApiClient api, Session session)
{
    private const int MaxPage = 200;

    /// <summary>The runs awaiting this user's decision (an API refusal propagates as <see cref="ApiProblemException"/>).</summary>
    public async Task<List<RunRecord>> DecisionsAsync(CancellationToken cancellationToken = default)
    {
        var found = new List<RunRecord>();
        foreach (var status in new[] { RunStatuses.AwaitingReview, RunStatuses.AwaitingApproval })
        {
            found.AddRange((await api.GetAsync<RunPage>(ApiRoutes.Fill(ApiRoutes.Runs) + $"?pageSize={MaxPage}&status={status}", cancellationToken)).Runs);
        }

        var mine = new List<RunRecord>();
        foreach (var run in found)
        {
            var theirs = session.PayerApproverOf is { } payer ? run.Owner == payer : run.Kind != RunKinds.PassDown;
            if (!theirs || run.StartedBy.Equals(session.User, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (run.AwaitingStage == ApprovalStages.Approval)
            {
                var detail = await api.GetAsync<RunDetail>(ApiRoutes.Fill(ApiRoutes.Run, ("runId", run.RunId)), cancellationToken);
                var reviewer = detail.Decisions.FirstOrDefault(d => d.Stage == ApprovalStages.Review)?.DecidedBy;
                if (ApprovalRules.RefusalReason(ApprovalStages.Approval, session.User!, run.StartedBy, reviewer) is not null)
                {
                    continue;
                }
            }

            mine.Add(run);
        }

        return mine;
    }

    /// <summary>The signed-in province's notices not yet acknowledged (0 for anyone else).</summary>
    public async Task<int> UnacknowledgedAsync(CancellationToken cancellationToken = default) =>
        session.ProvinceOf is { } code
            ? (await api.GetAsync<List<InboxNotice>>(ApiRoutes.Fill(ApiRoutes.ProvinceNotices, ("code", code)), cancellationToken)).Count(n => n.AcknowledgedAt is null)
            : 0;
}
