using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Notices;

/// <summary>A province acknowledges its notice (its inbox is read with its disputes: <see cref="Disputes.DisputeEndpoints.InboxAsync"/>).</summary>
public sealed class NoticeEndpoints(NoticeAcknowledgements acknowledgements, TimeProvider time)
{
    /// <summary>POST /api/provinces/{code}/notices/{noticeNumber}/acknowledgement (that province).</summary>
    public async Task<ApiResult> AcknowledgeAsync(ApiCaller caller, string code, string noticeNumber, CancellationToken cancellationToken = default)
    {
        if (!Identifiers.IsNoticeNumber(noticeNumber))
        {
            return ApiResult.Invalid("Invalid notice number", [new ValidationError("noticeNumber", null, $"{Identifiers.Quote(noticeNumber)} is not a notice number (GF-{{year}}-{{program}}-{{code}}-{{run}}).").With(ErrorCodes.NotANoticeNumber, ("value", noticeNumber))]);
        }

        var ack = await acknowledgements.AcknowledgeAsync(code, noticeNumber, caller.Name, time.GetUtcNow(), cancellationToken);
        return ack is null ? ApiResult.Problem(404, "Not found", $"Province {code} has no notice {noticeNumber}.", code: ProblemCodes.NoticeNotFound, args: ApiResult.Args(("recipient", code), ("notice", noticeNumber))) : ApiResult.Ok(ack);
    }
}
