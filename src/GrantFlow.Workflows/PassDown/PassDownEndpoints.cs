using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.PassDown;

/// <summary>Provinces' and prefectures' pass-downs, and the notices of the prefectures and counties they pay.</summary>
public sealed class PassDownEndpoints(PassDownService planner, RunService runs, NoticeOutbox notices, NoticeAcknowledgements acknowledgements, TimeProvider time)
{
    public const string StartRoute = ApiRoutes.ProvincePassDowns;
    public const string CountyNoticesRoute = ApiRoutes.CountyNotices;
    public const string CountyAcknowledgeRoute = ApiRoutes.CountyAcknowledgement;

    /// <summary>
    /// POST /api/provinces/{code}/pass-downs (that province) or /api/prefectures/{code}/pass-downs (that prefecture):
    /// {"noticeNumber", "parameters", "countiesCsv" or "prefecturesCsv", "retentionShare"}.
    /// </summary>
    public async Task<ApiResult> StartAsync(ApiCaller caller, string code, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        var (text, refused) = await body.ReadJsonAsync(cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            var plan = await planner.PlanAsync(code, ApiJson.Parse<PassDownBody>(text!, "pass-down"), cancellationToken);
            var run = await runs.StartPassDownAsync(plan, caller.Name, cancellationToken);
            return new ApiResult(202, run, Location: $"/api/runs/{run.RunId}");
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid pass-down", ex.Errors);
        }
        catch (KeyNotFoundException ex)
        {
            return ApiResult.Problem(404, "Not found", ex.Message);
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
        catch (InfeasibleFloorsException ex)
        {
            return ApiResult.Problem(422, "Infeasible floors", ex.Message, [new ValidationError("floor", null, ex.Message).With(ErrorCodes.FloorInfeasible)]);
        }
    }

    /// <summary>
    /// GET /api/provinces/{code}/pass-downs or /api/prefectures/{code}/pass-downs (that payer, its approvers, finance
    /// officers, auditors; a prefecture's province too): its pass-downs, newest first, paged and filtered as
    /// <c>GET /api/runs</c> (status, program, fiscalYear).
    /// </summary>
    public static async Task<ApiResult> ListForPayerAsync(RunListEndpoints runList, ApiCaller caller, string code, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runList);
        ArgumentNullException.ThrowIfNull(query);
        var scoped = new Dictionary<string, string?>(query, StringComparer.OrdinalIgnoreCase) { ["kind"] = RunKinds.PassDown, ["owner"] = code };
        return await runList.ListAsync(caller, scoped, cancellationToken);
    }

    /// <summary>GET /api/counties/{code}/notices or /api/prefectures/{code}/notices (that recipient, those above it, or an auditor).</summary>
    public async Task<ApiResult> ReceivedNoticesAsync(ApiCaller caller, string code, CancellationToken cancellationToken = default)
    {
        return ApiResult.Ok(await notices.ListReceivedAsync(code, cancellationToken));
    }

    /// <summary>POST /api/counties/{code}/notices/{noticeNumber}/acknowledgement (that county), or a prefecture's (its chase closed).</summary>
    public async Task<ApiResult> AcknowledgeAsync(ApiCaller caller, string code, string noticeNumber, CancellationToken cancellationToken = default)
    {
        if (!Identifiers.IsNoticeNumber(noticeNumber))
        {
            return ApiResult.Invalid("Invalid notice number", [new ValidationError("noticeNumber", null, $"{Identifiers.Quote(noticeNumber)} is not a notice number.").With(ErrorCodes.NotANoticeNumber, ("value", noticeNumber))]);
        }

        var ack = await acknowledgements.AcknowledgeAsync(code, noticeNumber, caller.Name, time.GetUtcNow(), cancellationToken);
        return ack is null ? ApiResult.Problem(404, "Not found", $"{(code.Length == 4 ? "Prefecture" : "County")} {code} has no notice {noticeNumber}.", code: ProblemCodes.NoticeNotFound, args: ApiResult.Args(("recipient", code), ("notice", noticeNumber))) : ApiResult.Ok(ack);
    }
}
