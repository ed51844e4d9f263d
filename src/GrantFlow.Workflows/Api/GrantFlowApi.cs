using System.Text.Json;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Reports;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Workflows.Api;

/// <summary>Body of POST /api/runs: the run-parameters document and the province CSV text.</summary>
public sealed record StartRunBody(JsonElement Parameters, string ProvincesCsv, TimeSpan? ApprovalTimeout = null);

/// <summary>Body of POST /api/runs/{runId}/decisions.</summary>
public sealed record DecisionBody(string Stage, string Decision, string? Reason);

/// <summary>
/// The HTTP API's behaviour, independent of the host: the Functions app and the local host both map their routes
/// here, so both authorise, validate and answer the same way. Every handler checks the caller's role first and
/// writes nothing when it refuses.
/// </summary>
public sealed class GrantFlowApi(
    RunService runs,
    ApprovalService approvals,
    LedgerRepository ledger,
    NoticeOutbox notices,
    LedgerQueryService ledgerQueries,
    LedgerExport ledgerExport,
    LedgerAuditService ledgerAudit,
    MonthlyFundReport monthlyReport,
    TimeProvider time)
{
    public const string AcknowledgeRoute = "provinces/{code}/notices/{noticeNumber}/acknowledgement";
    public const string MonthlyReportRoute = "reports/monthly";

    public const string SettlementsRoute = "settlements";
    public const string CorrectionsRoute = "corrections";
    public const string LedgerQueryRoute = "ledger";
    public const string LedgerTotalsRoute = "ledger/totals";
    public const string LedgerExportRoute = "ledger/export";
    public const string LedgerVerifyRoute = "ledger/verify";

    public const string StartRunRoute = "runs";
    public const string RunRoute = "runs/{runId}";
    public const string DecisionsRoute = "runs/{runId}/decisions";
    public const string LedgerRoute = "runs/{runId}/ledger";
    public const string NoticesRoute = "provinces/{code}/notices";

    /// <summary>
    /// The API over a given Durable client (the Functions app gets its client per invocation from the
    /// [DurableClient] binding; the local host resolves it from DI).
    /// </summary>
    public static GrantFlowApi Create(IServiceProvider services, DurableTaskClient client)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var runs = services.GetRequiredService<RunRepository>();
        var decisions = services.GetRequiredService<DecisionRepository>();
        return new GrantFlowApi(
            new RunService(runs, services.GetRequiredService<AllocationRepository>(), decisions, client, time),
            new ApprovalService(runs, decisions, client, time),
            services.GetRequiredService<LedgerRepository>(),
            services.GetRequiredService<NoticeOutbox>(),
            services.GetRequiredService<LedgerQueryService>(),
            services.GetRequiredService<LedgerExport>(),
            services.GetRequiredService<LedgerAuditService>(),
            services.GetRequiredService<MonthlyFundReport>(),
            time);
    }

    /// <summary>POST /api/runs (finance officer).</summary>
    public Task<ApiResult> StartRunAsync(ApiCaller? caller, string body, CancellationToken cancellationToken = default) =>
        StartAsync(caller, body, settlement: false, cancellationToken);

    /// <summary>POST /api/settlements (finance officer): settle a past year's advance against actual figures.</summary>
    public Task<ApiResult> StartSettlementAsync(ApiCaller? caller, string body, CancellationToken cancellationToken = default) =>
        StartAsync(caller, body, settlement: true, cancellationToken);

    /// <summary>POST /api/corrections (finance officer): {"correctsRunId", "provinceCode", "amountYuan", "reason"}.</summary>
    public async Task<ApiResult> StartCorrectionAsync(ApiCaller? caller, string body, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        try
        {
            var run = await runs.StartCorrectionAsync(body, caller!.Name, cancellationToken: cancellationToken);
            return new ApiResult(202, run, Location: $"/api/runs/{run.RunId}");
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Problem(400, "Invalid correction", $"{ex.Errors.Count} error(s) in the correction; nothing was written.", ex.Errors);
        }
        catch (RunConflictException ex)
        {
            return ApiResult.Problem(409, "Conflict", ex.Message);
        }
    }

    private async Task<ApiResult> StartAsync(ApiCaller? caller, string body, bool settlement, CancellationToken cancellationToken)
    {
        if (Refuse(caller, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        StartRunBody? request;
        try
        {
            request = JsonSerializer.Deserialize<StartRunBody>(body, WorkflowJson.Options);
        }
        catch (JsonException ex)
        {
            return ApiResult.Problem(400, "Invalid request", ex.Message, [new ValidationError(ex.Path ?? "body", null, ex.Message)]);
        }

        if (request is null || request.Parameters.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(request.ProvincesCsv))
        {
            return ApiResult.Problem(400, "Invalid request", "The body needs 'parameters' (the run-parameters document) and 'provincesCsv'.", [new ValidationError("body", null, "parameters and provincesCsv are required.")]);
        }

        try
        {
            var run = settlement
                ? await runs.StartSettlementAsync(request.Parameters.GetRawText(), request.ProvincesCsv, caller!.Name, request.ApprovalTimeout, cancellationToken: cancellationToken)
                : await runs.StartAsync(request.Parameters.GetRawText(), request.ProvincesCsv, caller!.Name, request.ApprovalTimeout, cancellationToken: cancellationToken);
            return new ApiResult(202, run, Location: $"/api/runs/{run.RunId}");
        }
        catch (RunConflictException ex)
        {
            return ApiResult.Problem(409, "Conflict", ex.Message);
        }
        catch (InputValidationException ex)
        {
            return ApiResult.Problem(400, "Invalid run input", $"{ex.Errors.Count} error(s) in the run input; nothing was written.", ex.Errors);
        }
        catch (InfeasibleFloorsException ex)
        {
            return ApiResult.Problem(422, "Infeasible floors", ex.Message, [new ValidationError("floor", null, ex.Message)]);
        }
    }

    /// <summary>GET /api/runs/{runId} (finance officer, approver, auditor).</summary>
    public async Task<ApiResult> GetRunAsync(ApiCaller? caller, string runId, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Approver, GrantFlowRoles.Auditor) is { } refused)
        {
            return refused;
        }

        var view = await runs.GetAsync(runId, cancellationToken);
        return view is null ? ApiResult.Problem(404, "Not found", $"Run {runId} does not exist.") : ApiResult.Ok(view);
    }

    /// <summary>POST /api/runs/{runId}/decisions (approver; not the initiator; two different people).</summary>
    public async Task<ApiResult> DecideAsync(ApiCaller? caller, string runId, string body, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Approver) is { } refused)
        {
            return refused;
        }

        DecisionBody? request;
        try
        {
            request = JsonSerializer.Deserialize<DecisionBody>(body, WorkflowJson.Options);
        }
        catch (JsonException ex)
        {
            return ApiResult.Problem(400, "Invalid request", ex.Message, [new ValidationError(ex.Path ?? "body", null, ex.Message)]);
        }

        if (request is null || request.Decision is not ("approve" or "reject"))
        {
            return ApiResult.Problem(400, "Invalid request", "decision must be 'approve' or 'reject'.", [new ValidationError("decision", null, "expected 'approve' or 'reject'.")]);
        }

        var result = await approvals.DecideAsync(runId, request.Stage, caller!.Name, request.Decision == "approve", request.Reason, cancellationToken);
        return result.Outcome switch
        {
            DecisionOutcome.Recorded => ApiResult.Ok(result),
            DecisionOutcome.RunNotFound => ApiResult.Problem(404, "Not found", result.Message),
            DecisionOutcome.Forbidden => ApiResult.Forbidden(result.Message),
            _ => ApiResult.Problem(409, "Conflict", result.Message),
        };
    }

    /// <summary>GET /api/runs/{runId}/ledger (auditor, finance officer).</summary>
    public async Task<ApiResult> GetLedgerAsync(ApiCaller? caller, string runId, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        return ApiResult.Ok(await ledger.ReadRunAsync(runId, cancellationToken));
    }

    /// <summary>GET /api/provinces/{code}/notices (that province, or an auditor).</summary>
    public async Task<ApiResult> GetNoticesAsync(ApiCaller? caller, string code, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Province(code), GrantFlowRoles.Auditor) is { } refused)
        {
            return refused;
        }

        return ApiResult.Ok(await notices.ListForProvinceAsync(code, cancellationToken));
    }

    /// <summary>GET /api/ledger?fiscalYear=&amp;program=&amp;province=&amp;runId=&amp;kind=&amp;from=&amp;to=&amp;pageSize=&amp;continuationToken= (auditor, finance officer).</summary>
    public async Task<ApiResult> QueryLedgerAsync(ApiCaller? caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        if (ParseQuery(parameters, out var query) is { } invalid)
        {
            return invalid;
        }

        var pageSize = int.TryParse(parameters.GetValueOrDefault("pageSize"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 100;
        try
        {
            return ApiResult.Ok(await ledgerQueries.PageAsync(query, pageSize, parameters.GetValueOrDefault("continuationToken"), cancellationToken));
        }
        catch (ArgumentException ex)
        {
            return ApiResult.Problem(400, "Invalid continuation token", ex.Message, [new ValidationError("continuationToken", null, ex.Message)]);
        }
    }

    /// <summary>GET /api/ledger/totals?... totals by program, province and kind (auditor, finance officer).</summary>
    public async Task<ApiResult> LedgerTotalsAsync(ApiCaller? caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        return ParseQuery(parameters, out var query) is { } invalid ? invalid : ApiResult.Ok(await ledgerQueries.TotalsAsync(query, cancellationToken));
    }

    /// <summary>GET /api/ledger/export?format=csv|xlsx&amp;... (auditor, finance officer).</summary>
    public async Task<ApiResult> ExportLedgerAsync(ApiCaller? caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        if (ParseQuery(parameters, out var query) is { } invalid)
        {
            return invalid;
        }

        return parameters.GetValueOrDefault("format") switch
        {
            null or "csv" => ApiResult.File(await ledgerExport.CsvAsync(query, cancellationToken), LedgerExport.CsvContentType, $"ledger-{query.FiscalYear}.csv"),
            "xlsx" => ApiResult.File(await ledgerExport.XlsxAsync(query, cancellationToken), LedgerExport.XlsxContentType, $"ledger-{query.FiscalYear}.xlsx"),
            var other => ApiResult.Problem(400, "Invalid format", $"format '{other}' is not csv or xlsx.", [new ValidationError("format", null, "expected csv or xlsx.")]),
        };
    }

    /// <summary>GET /api/ledger/verify?runId= | ?fiscalYear= | (nothing: everything) (auditor, finance officer).</summary>
    public async Task<ApiResult> VerifyLedgerAsync(ApiCaller? caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        if (parameters.GetValueOrDefault("runId") is { Length: > 0 } runId)
        {
            var one = await ledgerAudit.VerifyRunAsync(runId, cancellationToken);
            return one is null ? ApiResult.Problem(404, "Not found", $"Run {runId} does not exist.") : ApiResult.Ok(new[] { one });
        }

        int? year = int.TryParse(parameters.GetValueOrDefault("fiscalYear"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null;
        return ApiResult.Ok(await ledgerAudit.VerifyAllAsync(year, cancellationToken));
    }

    /// <summary>POST /api/provinces/{code}/notices/{noticeNumber}/acknowledgement (that province).</summary>
    public async Task<ApiResult> AcknowledgeNoticeAsync(ApiCaller? caller, string code, string noticeNumber, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Province(code)) is { } refused)
        {
            return refused;
        }

        var ack = await notices.AcknowledgeAsync(code, noticeNumber, caller!.Name, time.GetUtcNow(), cancellationToken);
        return ack is null ? ApiResult.Problem(404, "Not found", $"Province {code} has no notice {noticeNumber}.") : ApiResult.Ok(ack);
    }

    /// <summary>GET /api/reports/monthly?fiscalYear=2026&amp;month=2026-12[&amp;format=csv] (auditor, finance officer).</summary>
    public async Task<ApiResult> MonthlyReportAsync(ApiCaller? caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller, GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        if (!int.TryParse(parameters.GetValueOrDefault("fiscalYear"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fiscalYear))
        {
            errors.Add(new ValidationError("fiscalYear", null, "a fiscal year is required."));
        }

        if (!DateTime.TryParseExact(parameters.GetValueOrDefault("month"), "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var month))
        {
            errors.Add(new ValidationError("month", null, "a month is required as yyyy-MM."));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Problem(400, "Invalid report request", $"{errors.Count} error(s).", errors);
        }

        var lines = await monthlyReport.BuildAsync(fiscalYear, month.Year, month.Month, cancellationToken);
        return parameters.GetValueOrDefault("format") == "csv"
            ? ApiResult.File(MonthlyFundReport.ToCsv(lines), LedgerExport.CsvContentType, $"fund-report-{fiscalYear}-{month:yyyy-MM}.csv")
            : ApiResult.Ok(lines);
    }

    private static ApiResult? ParseQuery(IReadOnlyDictionary<string, string?> p, out LedgerQuery query)
    {
        var errors = new List<ValidationError>();
        var year = int.TryParse(p.GetValueOrDefault("fiscalYear"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : 0;
        DateTimeOffset? Date(string name)
        {
            if (p.GetValueOrDefault(name) is not { Length: > 0 } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }

            errors.Add(new ValidationError(name, null, $"'{text}' is not a date (ISO 8601)."));
            return null;
        }

        query = new LedgerQuery(year, Empty(p, "program"), Empty(p, "province"), Empty(p, "runId"), Empty(p, "kind"), Date("from"), Date("to"));
        errors.AddRange(query.Validate());
        return errors.Count > 0 ? ApiResult.Problem(400, "Invalid ledger query", $"{errors.Count} error(s) in the query.", errors) : null;
    }

    private static string? Empty(IReadOnlyDictionary<string, string?> p, string name) => p.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    private static ApiResult? Refuse(ApiCaller? caller, params string[] roles)
    {
        if (caller is null)
        {
            return ApiResult.Unauthenticated();
        }

        return roles.Any(caller.IsIn)
            ? null
            : ApiResult.Forbidden($"{caller.Name} needs one of the roles {string.Join(", ", roles)}.");
    }
}
