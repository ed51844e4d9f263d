using System.Runtime.CompilerServices;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Functions.Http;

/// <summary>
/// The HTTP API in Azure Functions: one thin trigger per entry of <see cref="ApiOperations.All"/> (the isolated model
/// needs the attributes; a test proves each trigger's name, method, route, route parameters and Durable client equal
/// its entry), answered by the entry's handler and written as the local host writes it (<see cref="ApiResponses"/>).
/// Function-level auth is anonymous because App Service authentication stands in front; every handler refuses a
/// caller without the right role and writes nothing then.
/// </summary>
public sealed partial class GrantFlowHttpFunctions(IServiceProvider services)
{
    [Function("ListRuns")]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.ListRunsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("OpenApi")]
    public Task<IActionResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.OpenApiRoute)] HttpRequest request) =>
        InvokeAsync(request, null, []);

    [Function("Roles")]
    public Task<IActionResult> Roles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.RolesRoute)] HttpRequest request) =>
        InvokeAsync(request, null, []);

    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.HealthRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("StartRun")]
    public Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.StartRunRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("StartSettlement")]
    public Task<IActionResult> StartSettlement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.SettlementsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("StartCorrection")]
    public Task<IActionResult> StartCorrection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.CorrectionsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("GetRun")]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.RunRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("runId", runId)]);

    [Function("DecideRun")]
    public Task<IActionResult> DecideRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.DecisionsRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("runId", runId)]);

    [Function("GetRunLedger")]
    public Task<IActionResult> GetRunLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("runId", runId)]);

    [Function("GetProvinceNotices")]
    public Task<IActionResult> GetProvinceNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.NoticesRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("QueryLedger")]
    public Task<IActionResult> QueryLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerQueryRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("LedgerTotals")]
    public Task<IActionResult> LedgerTotals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerTotalsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("ExportLedger")]
    public Task<IActionResult> ExportLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerExportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("VerifyLedger")]
    public Task<IActionResult> VerifyLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerVerifyRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("AcknowledgeNotice")]
    public Task<IActionResult> AcknowledgeNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.AcknowledgeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code), ("noticeNumber", noticeNumber)]);

    [Function("MonthlyReport")]
    public Task<IActionResult> MonthlyReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.MonthlyReportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("ListPlans")]
    public Task<IActionResult> ListPlans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PlansRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("GetPlan")]
    public Task<IActionResult> GetPlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PlanRoute)] HttpRequest request,
        string program,
        string fiscalYear,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("program", program), ("fiscalYear", fiscalYear)]);

    [Function("SetPlan")]
    public Task<IActionResult> SetPlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = GrantFlowApi.PlanRoute)] HttpRequest request,
        string program,
        string fiscalYear,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("program", program), ("fiscalYear", fiscalYear)]);

    [Function("ListOverduePassDowns")]
    public Task<IActionResult> ListOverduePassDowns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.OverduePassDownsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("ListChases")]
    public Task<IActionResult> ListChases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.ChasesRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("OpenDispute")]
    public Task<IActionResult> OpenDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.OpenDisputeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code), ("noticeNumber", noticeNumber)]);

    [Function("ListDisputes")]
    public Task<IActionResult> ListDisputes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.DisputesRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("ResolveDispute")]
    public Task<IActionResult> ResolveDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.ResolveDisputeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code), ("noticeNumber", noticeNumber)]);

    [Function("StartPassDown")]
    public Task<IActionResult> StartPassDown(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.PassDownRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("ListProvincePassDowns")]
    public Task<IActionResult> ListProvincePassDowns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PassDownRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("GetCountyNotices")]
    public Task<IActionResult> GetCountyNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.CountyNoticesRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("AcknowledgeCountyNotice")]
    public Task<IActionResult> AcknowledgeCountyNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.CountyAcknowledgeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code), ("noticeNumber", noticeNumber)]);

    [Function("PublishRun")]
    public Task<IActionResult> PublishRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.PublicationRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("runId", runId)]);

    [Function("PublicFeed")]
    public Task<IActionResult> PublicFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PublicFeedRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, []);

    [Function("PublicIndex")]
    public Task<IActionResult> PublicIndex(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PublicIndexRoute)] HttpRequest request,
        string file,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("file", file)]);

    [Function("PublicRelease")]
    public Task<IActionResult> PublicRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PublicReleaseRoute)] HttpRequest request,
        string file,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("file", file)]);

    /// <summary>The operation named like the calling trigger, answered on the request's own response.</summary>
    private async Task<IActionResult> InvokeAsync(HttpRequest request, DurableTaskClient? client, IReadOnlyList<(string Name, string Value)> route, [CallerMemberName] string operationId = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        await ApiOperations.Find(operationId).InvokeAsync(
            request.HttpContext,
            ClientPrincipal.From(request),
            () => GrantFlowApi.Create(services, client ?? throw new InvalidOperationException($"{operationId} has no Durable client binding.")),
            route.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal),
            () => Task.FromResult(ClientPrincipal.TokenState(request)));
        return new EmptyResult();
    }
}
