using GrantFlow.Contracts;
using GrantFlow.Domain.Programs;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;

namespace GrantFlow.Workflows.Plans;

/// <summary>Plans over HTTP: finance officers set a program-year's expected amount; officials, approvers and auditors read plans and standings.</summary>
public sealed class PlanEndpoints(PlanService plans)
{
    public const string ListRoute = ApiRoutes.Plans;
    public const string Route = ApiRoutes.Plan;

    /// <summary>PUT /api/plans/{program}/{fiscalYear} (finance officer): 201 with the new version, 200 when the figures were already the current ones.</summary>
    public async Task<ApiResult> SetAsync(ApiCaller caller, string program, string fiscalYear, ApiRequestBody body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        if (InvalidProgramYear(program, fiscalYear, out var year) is { } invalid)
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
            var request = ApiJson.Parse<SetPlanBody>(text!, "plan");
            var outcome = await plans.SetAsync(program, year, request, caller.Name, cancellationToken);
            return new ApiResult(outcome.Created ? 201 : 200, outcome.Plan, Location: ApiRoutes.Fill(Route, ("program", program), ("fiscalYear", fiscalYear)));
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Invalid("Invalid plan", ex.Errors);
        }
        catch (ConflictException ex)
        {
            return ex.ToResult();
        }
    }

    /// <summary>GET /api/plans/{program}/{fiscalYear}: the plan, every version and the chain check; 404 without a plan.</summary>
    public async Task<ApiResult> GetAsync(string program, string fiscalYear, CancellationToken cancellationToken = default)
    {
        if (InvalidProgramYear(program, fiscalYear, out var year) is { } invalid)
        {
            return invalid;
        }

        return await plans.GetAsync(program, year, cancellationToken) is { } plan
            ? ApiResult.Ok(plan)
            : ApiResult.Problem(404, "Not found", $"{program} has no plan for {year}; a finance officer sets one (PUT {ApiRoutes.Fill(Route, ("program", program), ("fiscalYear", fiscalYear))}).", code: ProblemCodes.NotFound);
    }

    /// <summary>GET /api/plans?fiscalYear=2026[&amp;program=]: each program-year's plan beside its releases.</summary>
    public async Task<ApiResult> ListAsync(IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var year = WholeNumber(query, "fiscalYear", RunInputValidator.MinFiscalYear, RunInputValidator.MaxFiscalYear, errors);
        if (year is null && errors.Count == 0)
        {
            errors.Add(new ValidationError("fiscalYear", null, "a fiscal year is required.").With(ErrorCodes.Required));
        }

        var program = Value(query, "program", errors);
        if (program is not null && !GrantProgramCatalog.TryGet(program, out _))
        {
            errors.Add(new ValidationError("program", null, $"unknown program {Identifiers.Quote(program)}.").With(ErrorCodes.UnknownProgram, ("value", program)));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid plan query", errors);
        }

        var standings = await plans.StandingsAsync(year!.Value, program, cancellationToken: cancellationToken);
        return ApiResult.Ok(standings.Select(PlanStandingLine.From).ToList());
    }

    /// <summary>400 unless the route names a catalog program and a plausible year (nothing else reaches a storage key).</summary>
    private static ApiResult? InvalidProgramYear(string program, string fiscalYear, out int year)
    {
        var errors = new List<ValidationError>();
        year = WholeNumber(new Dictionary<string, string?> { ["fiscalYear"] = fiscalYear }, "fiscalYear", RunInputValidator.MinFiscalYear, RunInputValidator.MaxFiscalYear, errors) ?? 0;
        if (year == 0 && errors.Count == 0)
        {
            errors.Add(new ValidationError("fiscalYear", null, "a fiscal year is required.").With(ErrorCodes.Required));
        }
        if (!GrantProgramCatalog.TryGet(program ?? string.Empty, out _))
        {
            errors.Insert(0, new ValidationError("program", null, $"unknown program {Identifiers.Quote(program)}.").With(ErrorCodes.UnknownProgram, ("value", program)));
        }

        return errors.Count > 0 ? ApiResult.Invalid("Invalid plan", errors) : null;
    }
}
