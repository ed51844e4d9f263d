using GrantFlow.Domain.Inputs;
using System.Text.Json;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>Runs, settlements and corrections (finance officers start them, approvers decide them).</summary>
public sealed class RunEndpoints(RunService runs, ApprovalService approvals)
{
    /// <summary>POST /api/runs (finance officer).</summary>
    public Task<ApiResult> StartRunAsync(ApiCaller caller, ApiRequestBody body, CancellationToken cancellationToken = default) =>
        StartAsync(caller, body, settlement: false, cancellationToken);

    /// <summary>POST /api/settlements (finance officer): settle a past year's advance against actual figures.</summary>
    public Task<ApiResult> StartSettlementAsync(ApiCaller caller, ApiRequestBody body, CancellationToken cancellationToken = default) =>
        StartAsync(caller, body, settlement: true, cancellationToken);

    /// <summary>POST /api/corrections (finance officer): {"correctsRunId", "provinceCode", "amountYuan", "reason"}.</summary>
    public async Task<ApiResult> StartCorrectionAsync(ApiCaller caller, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            var run = await runs.StartCorrectionAsync(text!, caller.Name, cancellationToken: cancellationToken);
            return new ApiResult(202, run, Location: $"/api/runs/{run.RunId}");
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid correction", ex.Errors);
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
    }

    private async Task<ApiResult> StartAsync(ApiCaller caller, ApiRequestBody body, bool settlement, CancellationToken cancellationToken)
    {
        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        XlsxSheet? sheet = null;
        try
        {
            var request = ApiJson.Parse<StartRunBody>(text!, "request");
            if (request.Parameters.ValueKind != JsonValueKind.Object)
            {
                return ApiResult.Invalid("Invalid request", [new ValidationError("parameters", null, "the run-parameters document (a JSON object) is required.").With(ErrorCodes.Required)]);
            }

            var (csv, workbook, missing) = ProvinceData(request);
            if (missing is not null)
            {
                return missing;
            }

            sheet = workbook;

            if (request.Release is not (null or "advance" or "remainder") || (settlement && request.Release is not null))
            {
                return ApiResult.Invalid("Invalid request", [new ValidationError("release", null, settlement ? "a settlement takes no release." : $"{Identifiers.Quote(request.Release)}: expected 'advance' or 'remainder'.").With(ErrorCodes.NotOneOf, ("value", request.Release), ("allowed", "advance,remainder"))]);
            }

            if (request.AdvanceException is not null && (settlement || request.Release == "remainder"))
            {
                return ApiResult.Invalid("Invalid request", [new ValidationError("advanceException", null, "only an advance takes an advance-ratio exception.").With(ErrorCodes.ExceptionWithoutNeed)]);
            }

            var run = settlement
                ? await runs.StartSettlementAsync(request.Parameters.GetRawText(), csv!, caller.Name, request.ApprovalTimeout, cancellationToken: cancellationToken)
                : request.Release == "remainder"
                    ? await runs.StartRemainderAsync(request.Parameters.GetRawText(), csv!, caller.Name, request.ApprovalTimeout, cancellationToken: cancellationToken)
                    : await runs.StartAsync(request.Parameters.GetRawText(), csv!, caller.Name, request.ApprovalTimeout, advanceException: request.AdvanceException, cancellationToken: cancellationToken);
            return new ApiResult(202, run, Location: $"/api/runs/{run.RunId}");
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid run input", sheet?.Locate(ex.Errors) ?? ex.Errors);
        }
        catch (InfeasibleFloorsException ex)
        {
            return ApiResult.Problem(422, "Infeasible floors", ex.Message, [new ValidationError("floor", null, ex.Message).With(ErrorCodes.FloorInfeasible)]);
        }
    }

    /// <summary>
    /// The province data of a start: the CSV text as sent, or the first sheet of the workbook (read here; a file that is
    /// not a workbook throws <see cref="InputValidationException"/>); exactly one of the two.
    /// </summary>
    private static (string? Csv, XlsxSheet? Sheet, ApiResult? Problem) ProvinceData(StartRunBody request)
    {
        if (request.ProvincesXlsx is { } xlsx)
        {
            if (!string.IsNullOrEmpty(request.ProvincesCsv))
            {
                return (null, null, ApiResult.Invalid("Invalid request", [new ValidationError("provincesXlsx", null, "give the province data once: provincesCsv or provincesXlsx, not both.").With(ErrorCodes.Invalid)]));
            }

            var sheet = XlsxTable.ReadBase64(xlsx, "provincesXlsx");
            return (sheet.Csv, sheet, null);
        }

        return request.ProvincesCsv is { } csv
            ? (csv, null, null)
            : (null, null, ApiResult.Invalid("Invalid request", [new ValidationError("provincesCsv", null, "the province data is required: provincesCsv (CSV text) or provincesXlsx (an .xlsx workbook, base64).").With(ErrorCodes.Required)]));
    }

    /// <summary>GET /api/runs/{runId} (finance officer, approver, auditor).</summary>
    public async Task<ApiResult> GetRunAsync(ApiCaller caller, string runId, CancellationToken cancellationToken = default)
    {
        if (InvalidRunId(runId) is { } invalid)
        {
            return invalid;
        }

        // The record alone (one point read) says who may read the run; the whole view is loaded only for them.
        var record = await runs.GetRecordAsync(runId, cancellationToken);
        var readers = record is { Kind: RunKinds.PassDown, Owner: { } owner }
            ? new[] { GrantFlowRoles.Payer(owner), GrantFlowRoles.PayerApprover(owner), GrantFlowRoles.Province(owner[..2]), GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor }.Distinct().ToArray()
            : [GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Approver, GrantFlowRoles.Auditor];
        if (!readers.Any(caller.IsIn))
        {
            return ApiAccess.Forbidden(caller, readers);
        }

        return record is not null && await runs.GetAsync(runId, cancellationToken) is { } view
            ? ApiResult.Ok(view)
            : ApiResult.Problem(404, "Not found", $"Run {runId} does not exist.", code: ProblemCodes.RunNotFound, args: ApiResult.Args(("run", runId)));
    }

    /// <summary>Who decides a run: central approvers, or for a pass-down the payer's (province's or prefecture's) own approvers only.</summary>
    private async Task<string> DeciderRoleAsync(string runId, CancellationToken cancellationToken) =>
        (await runs.GetRecordAsync(runId, cancellationToken)) is { Kind: RunKinds.PassDown, Owner: { } owner }
            ? GrantFlowRoles.PayerApprover(owner)
            : GrantFlowRoles.Approver;

    /// <summary>POST /api/runs/{runId}/decisions (approver; not the initiator; two different people).</summary>
    public async Task<ApiResult> DecideAsync(ApiCaller caller, string runId, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        if (InvalidRunId(runId) is { } invalid)
        {
            return invalid;
        }

        if (await DeciderRoleAsync(runId, cancellationToken) is var decider && !caller.IsIn(decider))
        {
            return ApiAccess.Forbidden(caller, [decider]);
        }

        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        DecisionBody request;
        try
        {
            request = ApiJson.Parse<DecisionBody>(text!, "decision");
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid decision", ex.Errors);
        }

        var errors = new List<ValidationError>();
        if (!ApprovalStages.IsKnown(request.Stage))
        {
            errors.Add(new ValidationError("stage", null, $"{Identifiers.Quote(request.Stage)} is not a stage; expected '{ApprovalStages.Review}' or '{ApprovalStages.Approval}'.").With(ErrorCodes.NotOneOf, ("value", request.Stage), ("allowed", "review,approval")));
        }

        if (request.Decision is not (DecisionWords.Approve or DecisionWords.Reject))
        {
            errors.Add(new ValidationError("decision", null, $"{Identifiers.Quote(request.Decision)}: expected 'approve' or 'reject'.").With(ErrorCodes.NotOneOf, ("value", request.Decision), ("allowed", "approve,reject")));
        }

        if (request.Reason is { Length: > ApiLimits.MaxReasonLength } reason)
        {
            errors.Add(new ValidationError("reason", null, $"{reason.Length:N0} characters; a reason has at most {ApiLimits.MaxReasonLength:N0}.").With(ErrorCodes.TooLong, ("length", reason.Length), ("limit", ApiLimits.MaxReasonLength)));
        }
        else if (request.Decision == DecisionWords.Reject && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new ValidationError("reason", null, "a rejection needs a reason.").With(ErrorCodes.Required));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid decision", errors);
        }

        var result = await approvals.DecideAsync(runId, request.Stage, caller.Name, request.Decision == DecisionWords.Approve, request.Reason, cancellationToken);
        return result.Outcome switch
        {
            DecisionOutcome.Recorded => ApiResult.Ok(result),
            DecisionOutcome.RunNotFound => ApiResult.Problem(404, "Not found", result.Message, code: ProblemCodes.RunNotFound, args: ApiResult.Args(("run", runId))),
            DecisionOutcome.Forbidden => ApiResult.Forbidden(result.Message, result.Code ?? ProblemCodes.Forbidden, result.Args),
            _ => ApiResult.Problem(409, "Conflict", result.Message, code: result.Code, args: result.Args),
        };
    }
}
