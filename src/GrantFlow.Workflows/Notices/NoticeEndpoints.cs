using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Notices;

/// <summary>A province's notices: listing (the province, auditors) and acknowledgement (the province).</summary>
public sealed class NoticeEndpoints(NoticeOutbox notices, NoticeAcknowledgements acknowledgements, TimeProvider time)
{
    /// <summary>GET /api/provinces/{code}/notices (that province, or an auditor).</summary>
    public async Task<ApiResult> ListAsync(ApiCaller? caller, string code, CancellationToken cancellationToken = default)
    {
        if ((InvalidProvince(code) ?? Refuse(caller, GrantFlowRoles.Province(code), GrantFlowRoles.Auditor)) is { } refused)
        {
            return caller is null ? ApiResult.Unauthenticated() : refused;
        }

        return ApiResult.Ok(await notices.ListReceivedAsync(code, cancellationToken));
    }

    /// <summary>POST /api/provinces/{code}/notices/{noticeNumber}/acknowledgement (that province).</summary>
    public async Task<ApiResult> AcknowledgeAsync(ApiCaller? caller, string code, string noticeNumber, CancellationToken cancellationToken = default)
    {
        if ((InvalidProvince(code) ?? Refuse(caller, GrantFlowRoles.Province(code))) is { } refused)
        {
            return caller is null ? ApiResult.Unauthenticated() : refused;
        }

        if (!Identifiers.IsNoticeNumber(noticeNumber))
        {
            return ApiResult.Invalid("Invalid notice number", [new ValidationError("noticeNumber", null, $"{Identifiers.Quote(noticeNumber)} is not a notice number (GF-{{year}}-{{program}}-{{code}}-{{run}}).")]);
        }

        var ack = await acknowledgements.AcknowledgeAsync(code, noticeNumber, caller!.Name, time.GetUtcNow(), cancellationToken);
        return ack is null ? ApiResult.Problem(404, "Not found", $"Province {code} has no notice {noticeNumber}.") : ApiResult.Ok(ack);
    }
}
