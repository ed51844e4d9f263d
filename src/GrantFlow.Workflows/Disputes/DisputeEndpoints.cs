using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Runs;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Disputes;

/// <summary>Disputes over HTTP: a province opens one; finance officers resolve; finance officers and auditors read them.</summary>
public sealed class DisputeEndpoints(DisputeService disputes, DisputeRepository repository, RunService runs, Notices.NoticeOutbox notices)
{
    public const string OpenRoute = ApiRoutes.OpenDispute;
    public const string ListRoute = ApiRoutes.Disputes;
    public const string ResolveRoute = ApiRoutes.DisputeResolution;

    private static readonly string[] Statuses = [DisputeStatuses.Open, DisputeStatuses.Rejected, DisputeStatuses.Upheld];

    /// <summary>
    /// GET /api/provinces/{code}/notices (that province, or an auditor): its notices, each with its acknowledgement and
    /// its dispute (so a province follows its dispute to the centre's answer and the correction it led to).
    /// </summary>
    public async Task<ApiResult> InboxAsync(string code, CancellationToken cancellationToken = default)
    {
        var received = await notices.ListReceivedAsync(code, cancellationToken);
        var disputed = (await repository.ListAsync(code, cancellationToken)).ToDictionary(d => d.NoticeNumber, StringComparer.Ordinal);
        return ApiResult.Ok(received.Select(n => disputed.TryGetValue(n.NoticeNumber, out var dispute) ? n with { Dispute = dispute } : n).ToList());
    }

    /// <summary>POST /api/provinces/{code}/notices/{noticeNumber}/disputes (that province).</summary>
    public async Task<ApiResult> OpenAsync(ApiCaller caller, string code, string noticeNumber, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        if (InvalidNoticeNumber(noticeNumber) is { } invalid)
        {
            return invalid;
        }

        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            var request = ApiJson.Parse<DisputeBody>(text!, "dispute");
            if (DisputeService.Validate(request) is { Count: > 0 } errors)
            {
                return ApiResult.Invalid("Invalid dispute", errors);
            }

            var outcome = await disputes.OpenAsync(code, noticeNumber, request, caller.Name, cancellationToken);
            return outcome is { Result: DisputeResult.Done, Dispute: { } opened } ? new ApiResult(201, opened) : Refused(outcome);
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid dispute", ex.Errors);
        }
    }

    /// <summary>GET /api/disputes[?province=&amp;status=] (finance officers, auditors).</summary>
    public async Task<ApiResult> ListAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var province = Value(parameters, "province", errors);
        var status = OneOf(parameters, "status", Statuses, errors);
        if (province is not null && InvalidProvince(province) is not null)
        {
            errors.Add(new ValidationError("province", null, $"{Identifiers.Quote(province)} is not one of the 31 provincial codes.").With(ErrorCodes.UnknownProvince, ("value", province)));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid dispute query", errors);
        }

        var list = await repository.ListAsync(province, cancellationToken);
        return ApiResult.Ok(list.Where(d => status is null || d.Status == status).OrderBy(d => d.Steps[0].At).ToList());
    }

    /// <summary>POST /api/disputes/{code}/{noticeNumber}/resolution (finance officer): {"decision": "reject"|"uphold", "reason", "amountYuan"}.</summary>
    public async Task<ApiResult> ResolveAsync(ApiCaller caller, string code, string noticeNumber, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        if ((InvalidProvince(code) ?? InvalidNoticeNumber(noticeNumber)) is { } invalid)
        {
            return invalid;
        }

        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            var request = ApiJson.Parse<ResolutionBody>(text!, "resolution");
            var errors = new List<ValidationError>();
            if (request.Decision is not (DecisionWords.Reject or DecisionWords.Uphold))
            {
                errors.Add(new ValidationError("decision", null, $"{Identifiers.Quote(request.Decision)}: expected 'reject' or 'uphold'.").With(ErrorCodes.NotOneOf, ("value", request.Decision), ("allowed", "reject,uphold")));
            }

            if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ApiLimits.MaxReasonLength)
            {
                errors.Add(new ValidationError("reason", null, $"a resolution needs a reason of at most {ApiLimits.MaxReasonLength:N0} characters.").With(ErrorCodes.Required, ("limit", ApiLimits.MaxReasonLength)));
            }

            if (request.Decision == DecisionWords.Uphold && request.AmountYuan is not >= 0)
            {
                errors.Add(new ValidationError("amountYuan", null, "upholding needs the corrected amount in yuan (0 or more).").With(ErrorCodes.Required));
            }

            if (errors.Count > 0)
            {
                return ApiResult.Invalid("Invalid resolution", errors);
            }

            var outcome = await disputes.ResolveAsync(code, noticeNumber, request, caller.Name, runs, cancellationToken);
            return outcome is { Result: DisputeResult.Done, Dispute: { } resolved } ? ApiResult.Ok(resolved) : Refused(outcome);
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid resolution", ex.Errors);
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
    }

    private static ApiResult? InvalidNoticeNumber(string noticeNumber) =>
        Identifiers.IsNoticeNumber(noticeNumber)
            ? null
            : ApiResult.Invalid("Invalid notice number", [new ValidationError("noticeNumber", null, $"{Identifiers.Quote(noticeNumber)} is not a notice number.").With(ErrorCodes.NotANoticeNumber, ("value", noticeNumber))]);

    private static ApiResult Refused(DisputeOutcome outcome) => outcome.Result == DisputeResult.NotFound
        ? ApiResult.Problem(404, "Not found", outcome.Message, code: outcome.Code, args: outcome.Args)
        : ApiResult.Problem(409, "Conflict", outcome.Message, code: outcome.Code, args: outcome.Args);
}
