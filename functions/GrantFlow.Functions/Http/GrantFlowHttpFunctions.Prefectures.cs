using GrantFlow.Workflows.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Functions.Http;

/// <summary>The triggers of the prefectures' operations (下达到市县 through the cities) and of the ledger's trace.</summary>
public sealed partial class GrantFlowHttpFunctions
{
    [Function("GetPrefectureNotices")]
    public Task<IActionResult> GetPrefectureNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PrefectureNoticesRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("AcknowledgePrefectureNotice")]
    public Task<IActionResult> AcknowledgePrefectureNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.PrefectureAcknowledgeRoute)] HttpRequest request,
        string code,
        string noticeNumber,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code), ("noticeNumber", noticeNumber)]);

    [Function("StartPrefecturePassDown")]
    public Task<IActionResult> StartPrefecturePassDown(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GrantFlowApi.PrefecturePassDownRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("ListPrefecturePassDowns")]
    public Task<IActionResult> ListPrefecturePassDowns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.PrefecturePassDownRoute)] HttpRequest request,
        string code,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("code", code)]);

    [Function("TraceLedgerEntry")]
    public Task<IActionResult> TraceLedgerEntry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GrantFlowApi.LedgerTraceRoute)] HttpRequest request,
        string runId,
        string sequence,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(request, client, [("runId", runId), ("sequence", sequence)]);
}
