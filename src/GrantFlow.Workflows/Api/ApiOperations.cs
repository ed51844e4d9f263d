using GrantFlow.Contracts;
using System.Text.RegularExpressions;
using GrantFlow.Workflows.Http;
using Microsoft.AspNetCore.Http;

namespace GrantFlow.Workflows.Api;

/// <summary>One call of an operation as a host hands it over: the caller, the route values, the query and the body.</summary>
/// <remarks><see cref="Api"/> is made on first use (the Functions app's triggers that need no engine have no client to make it with).</remarks>
public sealed class ApiCall(ApiCaller caller, IReadOnlyDictionary<string, string> route, IReadOnlyDictionary<string, string?> query, ApiRequestBody body, Func<GrantFlowApi> api, CancellationToken cancellationToken)
{
    private GrantFlowApi? _api;

    /// <summary>The caller, already let through by the operation's <see cref="ApiOperation.Access"/>.</summary>
    public ApiCaller Caller => caller;

    public IReadOnlyDictionary<string, string?> Query => query;

    public ApiRequestBody Body => body;

    public GrantFlowApi Api => _api ??= api();

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>A route value by its name in the route template.</summary>
    public string Route(string name) => route.TryGetValue(name, out var value) ? value : throw new ArgumentException($"the route has no value {name}.", nameof(name));
}

/// <summary>
/// One operation of the API, declared once: method, route (under /api/), the OpenAPI id (also the Functions app's
/// function name), its summary, who may call it (enforced before the handler and stated in the document), and its
/// handler. Both hosts map it and the OpenAPI document describes it from this one entry.
/// </summary>
/// <param name="NeedsEngine">Whether the handler uses the Durable client (the Functions trigger then binds one).</param>
public sealed partial record ApiOperation(
    string Method,
    string Route,
    string OperationId,
    string Summary,
    ApiAccess Access,
    Func<ApiCall, Task<ApiResult>> Handle,
    bool HasBody = false,
    IReadOnlyList<string>? Query = null,
    bool NeedsEngine = true)
{
    /// <summary>
    /// Calls the operation and writes its answer: <paramref name="caller"/> as the host authenticated it, the route
    /// values and query of the request, <paramref name="api"/> made only if the handler needs it, and on a 401 why the
    /// caller is anonymous (<paramref name="tokenState"/>).
    /// </summary>
    public async Task InvokeAsync(HttpContext http, ApiCaller? caller, Func<GrantFlowApi> api, IReadOnlyDictionary<string, string> route, Func<Task<string>> tokenState)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tokenState);
        var access = Access.Check(caller, route);
        var result = access.Caller is { } allowed
            ? await Handle(new ApiCall(allowed, route, ApiResponses.Query(http), new ApiRequestBody(http.Request.ContentType, http.Request.Body, http.Request.ContentLength), api, http.RequestAborted))
            : access.Refusal!;
        await ApiResponses.WriteAsync(http, result.Status == 401 ? result.WithTokenProblem(await tokenState()) : result);
    }

    /// <summary>The names of the route's parameters, in order ("runId" of "runs/{runId}").</summary>
    public IReadOnlyList<string> RouteParameters => [.. RouteParameter().Matches(Route).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}

/// <summary>The API's operations table: what both hosts serve and the OpenAPI document lists.</summary>
public static class ApiOperations
{
    private static readonly string[] Paging = ["pageSize", "continuationToken"];
    private const string ReleaseFeedPath = Disclosure.ReleaseDocuments.FeedPath;
    private static readonly string[] LedgerFilters = ["fiscalYear", "program", "province", "runId", "kind", "from", "to"];

    public static readonly IReadOnlyList<ApiOperation> All =
    [
        new("get", GrantFlowApi.ListRunsRoute, "ListRuns", "Runs the caller may see, newest first, filtered and paged.", ApiAccess.SignedIn("finance-officer, auditor (all); approver (central); province:{code}, province-approver:{code}, prefecture:{code}, prefecture-approver:{code} (own pass-downs)"),
            c => c.Api.RunList.ListAsync(c.Caller, c.Query, c.CancellationToken), Query: ["program", "fiscalYear", "kind", "status", "owner", .. Paging]),
        new("post", GrantFlowApi.StartRunRoute, "StartRun", "Start an advance (or remainder) run: parameters and the province CSV, validated before anything is written.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Runs.StartRunAsync(c.Caller, c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.RunRoute, "GetRun", "A run: record, progress {stage, detail}, allocations with explanations, decisions.", ApiAccess.SignedIn("finance-officer, approver, auditor; for a pass-down its province, its approvers"),
            c => c.Api.Runs.GetRunAsync(c.Caller, c.Route("runId"), c.CancellationToken)),
        new("post", GrantFlowApi.DecisionsRoute, "DecideRun", "Approve or reject a stage (review, then approval) with a reason.", ApiAccess.SignedIn("approver (a pass-down: province-approver:{code} or prefecture-approver:{code}); not the initiator; two different people"),
            c => c.Api.Runs.DecideAsync(c.Caller, c.Route("runId"), c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.LedgerRoute, "GetRunLedger", "A run's ledger entries in sequence.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.RunLedgerAsync(c.Caller, c.Route("runId"), c.CancellationToken)),
        new("post", GrantFlowApi.SettlementsRoute, "StartSettlement", "Settle a past year's advance against actual figures.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Runs.StartSettlementAsync(c.Caller, c.Body, c.CancellationToken), HasBody: true),
        new("post", GrantFlowApi.CorrectionsRoute, "StartCorrection", "Correct one province's entry of a run (reversal and replacement).", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Runs.StartCorrectionAsync(c.Caller, c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.LedgerQueryRoute, "QueryLedger", "Ledger entries by year, program, province, run, kind and time, paged.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.QueryAsync(c.Caller, c.Query, c.CancellationToken), Query: [.. LedgerFilters, .. Paging]),
        new("get", GrantFlowApi.LedgerTotalsRoute, "LedgerTotals", "Net and gross totals by program, province and kind.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.TotalsAsync(c.Caller, c.Query, c.CancellationToken), Query: LedgerFilters),
        new("get", GrantFlowApi.LedgerExportRoute, "ExportLedger", "The query as CSV (UTF-8 with BOM) or XLSX.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.ExportAsync(c.Caller, c.Query, c.CancellationToken), Query: [.. LedgerFilters, "format"]),
        new("get", GrantFlowApi.LedgerVerifyRoute, "VerifyLedger", "Verify hash chains, positions, amounts, anchors and notices: a run, a year or everything.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.VerifyAsync(c.Caller, c.Query, c.CancellationToken), Query: ["runId", "fiscalYear"]),
        new("get", GrantFlowApi.LedgerTraceRoute, "TraceLedgerEntry", "Trace an entry up every level it was passed down through to the central entry, each link checked.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Ledger.TraceAsync(c.Route("runId"), c.Route("sequence"), c.CancellationToken)),
        new("get", GrantFlowApi.NoticesRoute, "GetProvinceNotices", "A province's notices, each with its acknowledgement and its dispute.", ApiAccess.Province(others: GrantFlowRoles.Auditor),
            c => c.Api.Disputes.InboxAsync(c.Route("code"), c.CancellationToken)),
        new("post", GrantFlowApi.AcknowledgeRoute, "AcknowledgeNotice", "Acknowledge a notice (idempotent).", ApiAccess.Province(),
            c => c.Api.Notices.AcknowledgeAsync(c.Caller, c.Route("code"), c.Route("noticeNumber"), c.CancellationToken)),
        new("get", GrantFlowApi.MonthlyReportRoute, "MonthlyReport", "Monthly fund report per program and province.", ApiAccess.Roles(GrantFlowRoles.Auditor, GrantFlowRoles.FinanceOfficer),
            c => c.Api.Reports.MonthlyAsync(c.Caller, c.Query, c.CancellationToken), Query: ["fiscalYear", "month", "format"]),
        new("get", GrantFlowApi.PlansRoute, "ListPlans", "Each program's plan for a year beside its releases: expected, advanced, ratio, remainder, settled, outstanding.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Approver, GrantFlowRoles.Auditor),
            c => c.Api.Plans.ListAsync(c.Query, c.CancellationToken), Query: ["fiscalYear", "program"]),
        new("get", GrantFlowApi.PlanRoute, "GetPlan", "A program-year's plan: the current expected amount and kind, every version, the chain check.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Approver, GrantFlowRoles.Auditor),
            c => c.Api.Plans.GetAsync(c.Route("program"), c.Route("fiscalYear"), c.CancellationToken)),
        new("put", GrantFlowApi.PlanRoute, "SetPlan", "Set a program-year's expected amount and kind of transfer (a new version; the same figures again change nothing).", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Plans.SetAsync(c.Caller, c.Route("program"), c.Route("fiscalYear"), c.Body, c.CancellationToken), HasBody: true),
        new("post", GrantFlowApi.PublicationRoute, "PublishRun", "Publish a released run as open data now (its publication failed, or it was released before publication); the first publication stands.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Disclosure.PublishAsync(c.Route("runId"), c.CancellationToken)),
        new("get", GrantFlowApi.PublicFeedRoute, "PublicFeed", "Open data: the Atom feed of published releases, newest first.", ApiAccess.Public,
            c => c.Api.Disclosure.ReadAsync(ReleaseFeedPath, c.CancellationToken)),
        new("get", GrantFlowApi.PublicIndexRoute, "PublicIndex", "Open data: a year's published releases ({year}.json) or the newest of every year (latest.json).", ApiAccess.Public,
            c => c.Api.Disclosure.ReadAsync("index/" + c.Route("file"), c.CancellationToken)),
        new("get", GrantFlowApi.PublicReleaseRoute, "PublicRelease", "Open data: one release ({runId}.json or {runId}.csv): recipients, amounts, formula, notice numbers, chain head, receipt root.", ApiAccess.Public,
            c => c.Api.Disclosure.ReadAsync("releases/" + c.Route("file"), c.CancellationToken)),
        new("get", GrantFlowApi.ChasesRoute, "ListChases", "Notices still unacknowledged, most chased first.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor),
            c => c.Api.Chases.ListAsync(c.Caller, c.CancellationToken)),
        new("get", GrantFlowApi.OverduePassDownsRoute, "ListOverduePassDowns", "Notices not passed down within 30 days.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor),
            c => c.Api.Chases.OverdueAsync(c.Caller, c.CancellationToken)),
        new("post", GrantFlowApi.OpenDisputeRoute, "OpenDispute", "Dispute a notice within its window: reason, figures, attachment reference.", ApiAccess.Province(),
            c => c.Api.Disputes.OpenAsync(c.Caller, c.Route("code"), c.Route("noticeNumber"), c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.DisputesRoute, "ListDisputes", "Disputes and each step taken.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor),
            c => c.Api.Disputes.ListAsync(c.Caller, c.Query, c.CancellationToken)),
        new("post", GrantFlowApi.ResolveDisputeRoute, "ResolveDispute", "Reject a dispute with a reason, or uphold it into a correction run.", ApiAccess.Roles(GrantFlowRoles.FinanceOfficer),
            c => c.Api.Disputes.ResolveAsync(c.Caller, c.Route("code"), c.Route("noticeNumber"), c.Body, c.CancellationToken), HasBody: true),
        new("post", GrantFlowApi.PassDownRoute, "StartPassDown", "Pass an acknowledged notice down to the province's counties or prefectures.", ApiAccess.Province(),
            c => c.Api.PassDowns.StartAsync(c.Caller, c.Route("code"), c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.PassDownRoute, "ListProvincePassDowns", "A province's pass-downs to its prefectures or counties, newest first, paged.", ApiAccess.Province(withApprovers: true, GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor),
            c => PassDown.PassDownEndpoints.ListForPayerAsync(c.Api.RunList, c.Caller, c.Route("code"), c.Query, c.CancellationToken), Query: ["status", "program", "fiscalYear", .. Paging]),
        new("get", GrantFlowApi.PrefectureNoticesRoute, "GetPrefectureNotices", "A prefecture's notices, each with its acknowledgement.", ApiAccess.Prefecture(withProvince: true, others: GrantFlowRoles.Auditor),
            c => c.Api.PassDowns.ReceivedNoticesAsync(c.Caller, c.Route("code"), c.CancellationToken)),
        new("post", GrantFlowApi.PrefectureAcknowledgeRoute, "AcknowledgePrefectureNotice", "A prefecture acknowledges its notice (idempotent).", ApiAccess.Prefecture(),
            c => c.Api.PassDowns.AcknowledgeAsync(c.Caller, c.Route("code"), c.Route("noticeNumber"), c.CancellationToken)),
        new("post", GrantFlowApi.PrefecturePassDownRoute, "StartPrefecturePassDown", "Pass an acknowledged notice down to the prefecture's counties.", ApiAccess.Prefecture(),
            c => c.Api.PassDowns.StartAsync(c.Caller, c.Route("code"), c.Body, c.CancellationToken), HasBody: true),
        new("get", GrantFlowApi.PrefecturePassDownRoute, "ListPrefecturePassDowns", "A prefecture's pass-downs to its counties, newest first, paged.", ApiAccess.Prefecture(withApprovers: true, withProvince: true, GrantFlowRoles.FinanceOfficer, GrantFlowRoles.Auditor),
            c => PassDown.PassDownEndpoints.ListForPayerAsync(c.Api.RunList, c.Caller, c.Route("code"), c.Query, c.CancellationToken), Query: ["status", "program", "fiscalYear", .. Paging]),
        new("get", GrantFlowApi.CountyNoticesRoute, "GetCountyNotices", "A county's notices.", ApiAccess.County(withPayers: true),
            c => c.Api.PassDowns.ReceivedNoticesAsync(c.Caller, c.Route("code"), c.CancellationToken)),
        new("post", GrantFlowApi.CountyAcknowledgeRoute, "AcknowledgeCountyNotice", "A county acknowledges its notice.", ApiAccess.County(),
            c => c.Api.PassDowns.AcknowledgeAsync(c.Caller, c.Route("code"), c.Route("noticeNumber"), c.CancellationToken)),
        new("post", GrantFlowApi.RolesRoute, "Roles", "The GrantFlow roles among a signed-in user's Entra ID claims (the Static Web App's rolesSource).", ApiAccess.SignedIn("any signed-in caller"),
            c => RoleSourceEndpoints.AssignAsync(c.Caller, c.Body, c.CancellationToken), HasBody: true, NeedsEngine: false),
        new("get", GrantFlowApi.HealthRoute, "Health", "Whether the API and its storage answer.", ApiAccess.AnyRole,
            c => c.Api.Health.CheckAsync(c.Caller, c.CancellationToken)),
        new("get", GrantFlowApi.OpenApiRoute, "OpenApi", "This document.", ApiAccess.AnyRole,
            c => Task.FromResult(OpenApiEndpoints.Get()), NeedsEngine: false),
    ];

    private static readonly Dictionary<string, ApiOperation> ById = All.ToDictionary(o => o.OperationId, StringComparer.Ordinal);

    /// <summary>The operation with this id (the Functions app's function name).</summary>
    public static ApiOperation Find(string operationId) =>
        ById.TryGetValue(operationId, out var operation) ? operation : throw new ArgumentException($"no API operation {operationId}.", nameof(operationId));
}
