using System.Text.Json;
using GrantFlow.Workflows.Api;
using GrantFlow.Workflows.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Functions.Http;

/// <summary>
/// The HTTP API in Azure Functions: the same routes as the local host, answered by the same <see cref="GrantFlowApi"/>.
/// Function-level auth is anonymous because App Service authentication stands in front; every handler refuses a
/// caller without the right role and writes nothing then.
/// </summary>
public sealed class GrantFlowHttpFunctions(IServiceProvider services)
{
    [Function("ListRuns")]
    public async Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.ListRunsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).RunList.ListAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("OpenApi")]
    public static IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.OpenApiRoute)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, OpenApiEndpoints.Get(ClientPrincipal.From(request)));
    }

    [Function("Roles")]
    public static async Task<IActionResult> Roles([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.RolesRoute)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await RoleSourceEndpoints.AssignAsync(ClientPrincipal.From(request), Body(request), request.HttpContext.RequestAborted));
    }

    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.HealthRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Health.CheckAsync(ClientPrincipal.From(request), request.HttpContext.RequestAborted));
    }

    [Function("StartRun")]
    public async Task<IActionResult> StartRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.StartRunRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Runs.StartRunAsync(ClientPrincipal.From(request), Body(request), request.HttpContext.RequestAborted));
    }

    [Function("StartSettlement")]
    public async Task<IActionResult> StartSettlement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.SettlementsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Runs.StartSettlementAsync(ClientPrincipal.From(request), Body(request), request.HttpContext.RequestAborted));
    }

    [Function("StartCorrection")]
    public async Task<IActionResult> StartCorrection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.CorrectionsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Runs.StartCorrectionAsync(ClientPrincipal.From(request), Body(request), request.HttpContext.RequestAborted));
    }

    [Function("GetRun")]
    public async Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.RunRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Runs.GetRunAsync(ClientPrincipal.From(request), runId, request.HttpContext.RequestAborted));
    }

    [Function("DecideRun")]
    public async Task<IActionResult> DecideRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.DecisionsRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Runs.DecideAsync(ClientPrincipal.From(request), runId, Body(request), request.HttpContext.RequestAborted));
    }

    [Function("GetRunLedger")]
    public async Task<IActionResult> GetRunLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerRoute)] HttpRequest request,
        string runId,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Ledger.RunLedgerAsync(ClientPrincipal.From(request), runId, request.HttpContext.RequestAborted));
    }

    [Function("GetProvinceNotices")]
    public async Task<IActionResult> GetProvinceNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.NoticesRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Notices.ListAsync(ClientPrincipal.From(request), code, request.HttpContext.RequestAborted));
    }

    [Function("QueryLedger")]
    public async Task<IActionResult> QueryLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerQueryRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Ledger.QueryAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("LedgerTotals")]
    public async Task<IActionResult> LedgerTotals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerTotalsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Ledger.TotalsAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("ExportLedger")]
    public async Task<IActionResult> ExportLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerExportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Ledger.ExportAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("VerifyLedger")]
    public async Task<IActionResult> VerifyLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerVerifyRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Ledger.VerifyAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("AcknowledgeNotice")]
    public async Task<IActionResult> AcknowledgeNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.AcknowledgeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Notices.AcknowledgeAsync(ClientPrincipal.From(request), code, noticeNumber, request.HttpContext.RequestAborted));
    }

    [Function("MonthlyReport")]
    public async Task<IActionResult> MonthlyReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.MonthlyReportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Reports.MonthlyAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("ListOverduePassDowns")]
    public async Task<IActionResult> ListOverduePassDowns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.OverduePassDownsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Chases.OverdueAsync(ClientPrincipal.From(request), request.HttpContext.RequestAborted));
    }

    [Function("ListChases")]
    public async Task<IActionResult> ListChases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.ChasesRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Chases.ListAsync(ClientPrincipal.From(request), request.HttpContext.RequestAborted));
    }

    [Function("OpenDispute")]
    public async Task<IActionResult> OpenDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.OpenDisputeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Disputes.OpenAsync(ClientPrincipal.From(request), code, noticeNumber, Body(request), request.HttpContext.RequestAborted));
    }

    [Function("ListDisputes")]
    public async Task<IActionResult> ListDisputes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.DisputesRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Disputes.ListAsync(ClientPrincipal.From(request), Query(request), request.HttpContext.RequestAborted));
    }

    [Function("ResolveDispute")]
    public async Task<IActionResult> ResolveDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.ResolveDisputeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).Disputes.ResolveAsync(ClientPrincipal.From(request), code, noticeNumber, Body(request), request.HttpContext.RequestAborted));
    }

    [Function("StartPassDown")]
    public async Task<IActionResult> StartPassDown(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.PassDownRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).PassDowns.StartAsync(ClientPrincipal.From(request), code, Body(request), request.HttpContext.RequestAborted));
    }

    [Function("GetCountyNotices")]
    public async Task<IActionResult> GetCountyNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.CountyNoticesRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).PassDowns.CountyNoticesAsync(ClientPrincipal.From(request), code, request.HttpContext.RequestAborted));
    }

    [Function("AcknowledgeCountyNotice")]
    public async Task<IActionResult> AcknowledgeCountyNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.CountyAcknowledgeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, await Api(client).PassDowns.AcknowledgeAsync(ClientPrincipal.From(request), code, noticeNumber, request.HttpContext.RequestAborted));
    }

    private static Dictionary<string, string?> Query(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static ApiRequestBody Body(HttpRequest request) => new(request.ContentType, request.Body, request.ContentLength);

    private GrantFlowApi Api(DurableTaskClient client) => GrantFlowApi.Create(services, client);

    private static IActionResult Answer(HttpRequest request, ApiResult result)
    {
        if (result.Status == 401)
        {
            result = result.WithTokenProblem(ClientPrincipal.TokenState(request));
        }

        if (result.Body is byte[] file)
        {
            return new FileContentResult(file, result.ContentType) { FileDownloadName = result.FileName };
        }

        return new ContentResult
        {
            StatusCode = result.Status,
            ContentType = result.ContentType,
            Content = JsonSerializer.Serialize(result.Body, result.Body?.GetType() ?? typeof(object), WorkflowJson.Options),
        };
    }
}
