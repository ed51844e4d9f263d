using System.Globalization;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Ledger;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Reports;

/// <summary>The monthly fund report (auditors, finance officers).</summary>
public sealed class ReportEndpoints(MonthlyFundReport monthlyReport)
{
    private static readonly string[] Formats = ["json", "csv"];

    /// <summary>GET /api/reports/monthly?fiscalYear=2026&amp;month=2026-12[&amp;format=json|csv].</summary>
    public async Task<ApiResult> MonthlyAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var fiscalYear = WholeNumber(parameters, "fiscalYear", RunInputValidator.MinFiscalYear, RunInputValidator.MaxFiscalYear, errors);
        if (fiscalYear is null && errors.Count == 0)
        {
            errors.Add(new ValidationError("fiscalYear", null, "a fiscal year is required.").With(ErrorCodes.Required));
        }

        var monthText = Value(parameters, "month", errors);
        if (!DateTime.TryParseExact(monthText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            errors.Add(new ValidationError("month", null, "a month is required as yyyy-MM.").With(ErrorCodes.NotAMonth, ("value", monthText)));
        }

        var format = OneOf(parameters, "format", Formats, errors) ?? "json";
        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid report request", errors);
        }

        var lines = await monthlyReport.BuildAsync(fiscalYear!.Value, month.Year, month.Month, cancellationToken);
        return format == "csv"
            ? ApiResult.File(MonthlyFundReport.ToCsv(lines), LedgerExport.CsvContentType, $"fund-report-{fiscalYear}-{month:yyyy-MM}.csv")
            : ApiResult.Ok(lines);
    }
}
