using System.Globalization;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Http;
using static GrantFlow.Workflows.Http.ApiRequests;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Ledger;

/// <summary>The auditors' ledger (auditors and finance officers read it; nobody writes through it).</summary>
public sealed class LedgerEndpoints(LedgerRepository ledger, LedgerQueryService queries, LedgerExport export, LedgerAuditService audit, IRunRecords runs, IProgramStandings standings, LedgerTracer tracer)
{
    private static readonly string[] ExportFormats = ["csv", "xlsx"];

    /// <summary>GET /api/runs/{runId}/ledger.</summary>
    public async Task<ApiResult> RunLedgerAsync(ApiCaller caller, string runId, CancellationToken cancellationToken = default)
    {
        if (InvalidRunId(runId) is { } refused)
        {
            return refused;
        }

        // A run that exists answers its entries (none before its approvals); an unknown run is 404, as GET /api/runs/{runId}.
        var entries = await ledger.ReadRunAsync(runId, cancellationToken);
        return entries.Count > 0 || await runs.FindAsync(runId, cancellationToken) is not null
            ? ApiResult.Ok(entries)
            : ApiResult.Problem(404, "Not found", $"Run {runId} does not exist.", code: ProblemCodes.RunNotFound, args: ApiResult.Args(("run", runId)));
    }

    /// <summary>GET /api/ledger?fiscalYear=&amp;program=&amp;province=&amp;runId=&amp;kind=&amp;from=&amp;to=&amp;pageSize=&amp;continuationToken=.</summary>
    public async Task<ApiResult> QueryAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var pageSize = WholeNumber(parameters, "pageSize", 1, LedgerQueryService.MaxPageSize, errors) ?? ApiLimits.DefaultPageSize;
        var token = Value(parameters, "continuationToken", errors);
        if (ParseQuery(parameters, errors) is not { } query)
        {
            return ApiResult.Invalid("Invalid ledger query", errors);
        }

        try
        {
            return ApiResult.Ok(await queries.PageAsync(query, pageSize, token, cancellationToken));
        }
        catch (ArgumentException ex)
        {
            return ApiResult.Invalid("Invalid continuation token", [new ValidationError("continuationToken", null, ex.Message).With(ErrorCodes.StaleContinuation)]);
        }
    }

    /// <summary>GET /api/ledger/totals?...: per program, province and kind, gross and signed net, and each province's net.</summary>
    public async Task<ApiResult> TotalsAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        if (ParseQuery(parameters, errors) is not { } query)
        {
            return ApiResult.Invalid("Invalid ledger query", errors);
        }

        // A whole year (or program-year) also says where each program stands against its plan, from the same read.
        var whole = query is { Province: null, RunId: null, Kind: null, From: null, To: null };
        var central = new List<Domain.Ledger.LedgerEntry>();
        var lines = await queries.TotalsAsync(query, whole ? e => { if (Domain.Ledger.LedgerEntryKinds.Sign(e.Kind) != 0) { central.Add(e); } } : null, cancellationToken);
        var programs = whole ? await standings.OfAsync(query.FiscalYear, query.Program, central, cancellationToken) : null;
        return ApiResult.Ok(TotalsOf(lines) with { Programs = programs });
    }

    /// <summary>GET /api/ledger/export?format=csv|xlsx&amp;....</summary>
    public async Task<ApiResult> ExportAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var format = OneOf(parameters, "format", ExportFormats, errors) ?? "csv";
        if (ParseQuery(parameters, errors) is not { } query)
        {
            return ApiResult.Invalid("Invalid ledger export", errors);
        }

        return format == "xlsx"
            ? ApiResult.File(await export.XlsxAsync(query, cancellationToken), LedgerExport.XlsxContentType, $"ledger-{query.FiscalYear}.xlsx")
            : ApiResult.File(await export.CsvAsync(query, cancellationToken), LedgerExport.CsvContentType, $"ledger-{query.FiscalYear}.csv");
    }

    /// <summary>GET /api/ledger/verify?runId= | ?fiscalYear= | (nothing: everything).</summary>
    public async Task<ApiResult> VerifyAsync(ApiCaller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken = default)
    {
        var errors = new List<ValidationError>();
        var runId = Value(parameters, "runId", errors);
        var year = WholeNumber(parameters, "fiscalYear", RunInputValidator.MinFiscalYear, RunInputValidator.MaxFiscalYear, errors);
        if (runId is not null && InvalidRunId(runId) is { } invalid)
        {
            return invalid;
        }

        if (errors.Count > 0)
        {
            return ApiResult.Invalid("Invalid verification request", errors);
        }

        if (runId is not null)
        {
            var one = await audit.VerifyRunAsync(runId, cancellationToken);
            return one is null ? ApiResult.Problem(404, "Not found", $"Run {runId} has neither a run record nor ledger entries.", code: ProblemCodes.RunNotFound, args: ApiResult.Args(("run", runId))) : ApiResult.Ok(new[] { one });
        }

        return ApiResult.Ok(await audit.VerifyAllAsync(year, cancellationToken));
    }

    /// <summary>GET /api/ledger/trace/{runId}/{sequence}: the entry's path up to its central entry, each link checked.</summary>
    public async Task<ApiResult> TraceAsync(string runId, string sequence, CancellationToken cancellationToken = default)
    {
        if (InvalidRunId(runId) is { } invalid)
        {
            return invalid;
        }

        if (!int.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position is < 1 or > 999_999)
        {
            return ApiResult.Invalid("Invalid sequence", [new ValidationError("sequence", null, $"{Identifiers.Quote(sequence)} is not an entry's sequence (a whole number from 1 to 999999).").With(ErrorCodes.OutOfRange, ("value", sequence), ("min", 1), ("max", 999_999))]);
        }

        return await tracer.TraceAsync(runId, position, cancellationToken) is { } trace
            ? ApiResult.Ok(trace)
            : ApiResult.Problem(404, "Not found", $"Run {runId} has no ledger entry {position}.", code: ProblemCodes.RunNotFound, args: ApiResult.Args(("run", runId)));
    }

    /// <summary>The query of the parameters, or null with the errors (the fiscal year is required).</summary>
    private static LedgerQuery? ParseQuery(IReadOnlyDictionary<string, string?> p, List<ValidationError> errors)
    {
        var year = WholeNumber(p, "fiscalYear", RunInputValidator.MinFiscalYear, RunInputValidator.MaxFiscalYear, errors);
        DateTimeOffset? Date(string name)
        {
            if (Value(p, name, errors) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }

            errors.Add(new ValidationError(name, null, $"{Identifiers.Quote(text)} is not a date (ISO 8601).").With(ErrorCodes.NotADate, ("value", text)));
            return null;
        }

        var query = new LedgerQuery(year ?? 0, Value(p, "program", errors), Value(p, "province", errors), Value(p, "runId", errors), Value(p, "kind", errors), Date("from"), Date("to"));
        if (year is not null || !errors.Any(e => e.Field == "fiscalYear"))
        {
            errors.AddRange(query.Validate());
        }

        return errors.Count > 0 ? null : query;
    }

    private static LedgerTotalsView TotalsOf(IReadOnlyList<LedgerTotal> lines)
    {
        var net = lines.GroupBy(l => (l.FiscalYear, l.Program, l.ProvinceCode))
            .Select(g => new LedgerNet(g.Key.FiscalYear, g.Key.Program, g.Key.ProvinceCode, LedgerQueryService.Fit(g.Aggregate(Int128.Zero, (sum, l) => sum + l.NetYuan), g.Key)))
            .ToList();
        return new LedgerTotalsView(lines, net, LedgerQueryService.Fit(lines.Aggregate(Int128.Zero, (sum, l) => sum + l.NetYuan), "the query"));
    }
}
