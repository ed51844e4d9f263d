using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrantFlow.Domain.Programs;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>What one program year went through in the soak, for its checks.</summary>
/// <param name="CorrectionProvince">The province whose entry a finance officer corrected (<paramref name="CorrectionRunId"/>).</param>
/// <param name="SettledYuan">Each province's entitlement under the actual figures, computed here by the domain's allocator (not read back from the run).</param>
/// <param name="DisputeProvince">The province that disputed its advance notice (<paramref name="DisputeNotice"/>), upheld with its correction <paramref name="DisputeCorrectionRunId"/>.</param>
public sealed record SoakYear(
    string Program,
    int FiscalYear,
    string AdvanceRunId,
    string RemainderRunId,
    string CorrectionProvince,
    string CorrectionRunId,
    string DisputeProvince,
    string DisputeNotice,
    string DisputeCorrectionRunId,
    string SettlementRunId,
    long SettlementEnvelopeYuan,
    IReadOnlyDictionary<string, long> SettledYuan,
    IReadOnlyList<(string Province, string Notice)> Acknowledged);

/// <summary>
/// One program year after its advance, every step killed at seeded random points: the remainder (3 kills), a
/// correction of one province (3), a province's dispute upheld (a kill while the uphold is answered, the uphold then
/// repeated, and 3 kills in its correction), the settlement against actual figures (3), and the provinces
/// acknowledging the year's notices (a kill part-way, then every acknowledgement again).
/// </summary>
internal sealed class YearCycleSoak(SoakClient client, Random random, string provincesCsv, Func<string, int, string> parametersOf)
{
    public async Task<SoakYear> RunAsync(int index, string program, int year, string advanceRunId)
    {
        var label = $"{program} {year}";
        var remainder = await client.StartRunAsync(ApiRoutes.Fill(ApiRoutes.Runs), new StartRunBody(Parse(parametersOf(program, year)), provincesCsv, Release: RunKinds.Remainder));
        await KillThroughApprovalsAsync(remainder, $"{label} remainder");
        await client.WaitForStatusAsync(remainder, RunStatuses.Completed);

        // Provinces of this year's flows: none of them is the one whose notice is passed down later (index * 7).
        var provinces = ProvinceCodes.All.ToList();
        var corrected = provinces[((index * 7) + 1) % provinces.Count];
        var disputing = provinces[((index * 7) + 2) % provinces.Count];
        var advance = await AllocationsAsync(advanceRunId);

        var correction = await client.StartRunAsync(ApiRoutes.Fill(ApiRoutes.Corrections), new CorrectionRequest(advanceRunId, corrected, advance[corrected] + 1_000_000, "受益人数复核 recipients recounted"));
        await KillThroughApprovalsAsync(correction, $"{label} correction of {corrected}");

        var (notice, disputeCorrection) = await DisputeUpheldAsync(label, disputing, advanceRunId, advance[disputing] - 500_000);
        await KillThroughApprovalsAsync(disputeCorrection, $"{label} correction of {disputing}'s upheld dispute");
        await client.WaitForStatusAsync(correction, RunStatuses.Completed);
        await client.WaitForStatusAsync(disputeCorrection, RunStatuses.Completed);

        // The actual figures: the year's whole grant turned out 1% above advance + remainder.
        var parameters = JsonNode.Parse(parametersOf(program, year))!;
        var settledEnvelope = ((long)parameters["envelopeYuan"]!) * 2 * 101 / 100;
        parameters["envelopeYuan"] = settledEnvelope;
        using var csv = new StringReader(provincesCsv);
        var actual = Domain.Inputs.RunInput.Parse(parameters.ToJsonString(), csv, Domain.Validation.RecipientLevel.Province);
        var settled = Domain.Allocation.GrantAllocator.Allocate(actual.Parameters, actual.Provinces).Provinces.ToDictionary(p => p.Code, p => p.AmountYuan, StringComparer.Ordinal);
        var settlement = await client.StartRunAsync(ApiRoutes.Fill(ApiRoutes.Settlements), new StartRunBody(JsonSerializer.SerializeToElement(parameters), provincesCsv));
        await KillThroughApprovalsAsync(settlement, $"{label} settlement");
        await client.WaitForStatusAsync(settlement, RunStatuses.Completed);

        var acknowledged = await AcknowledgeAsync(label, [advanceRunId, remainder]);
        return new SoakYear(program, year, advanceRunId, remainder, corrected, correction, disputing, notice, disputeCorrection, settlement, settledEnvelope, settled, acknowledged);
    }

    /// <summary>Three kills: after the start, after the review, after the approval; decisions taken when their stage opens.</summary>
    public async Task KillThroughApprovalsAsync(string runId, string label, string reviewer = "reviewer.wang", string approver = "approver.zhao", string role = "approver")
    {
        foreach (var (stage, user) in new[] { ("review", reviewer), ("approval", approver), (string.Empty, string.Empty) })
        {
            var delay = random.Next(0, 1200);
            await Task.Delay(delay);
            await client.KillAsync(string.Create(CultureInfo.InvariantCulture, $"{label} {delay} ms after {(stage.Length > 0 ? "the previous step" : "the approval")}"));
            if (stage.Length > 0)
            {
                await client.DecideWhenOpenAsync(runId, stage, user, role);
            }
        }
    }

    /// <summary>
    /// The province disputes its advance notice; a finance officer upholds it with a new amount, and the host is killed
    /// while the uphold is being answered; the officer then sends the same uphold again until it is answered.
    /// </summary>
    private async Task<(string Notice, string CorrectionRunId)> DisputeUpheldAsync(string label, string province, string advanceRunId, long amountYuan)
    {
        var provinceToken = client.Token("finance." + province, "province:" + province);
        var notices = await client.ReadAsync<List<InboxNotice>>(ApiRoutes.Fill(ApiRoutes.ProvinceNotices, ("code", province)), provinceToken);
        var notice = notices.Single(n => n.RunId == advanceRunId).NoticeNumber;
        // Created; or, after a 503 whose write had landed, the same province's dispute already there (checked below).
        await client.CallAsync(HttpMethod.Post, ApiRoutes.Fill(ApiRoutes.OpenDispute, ("code", province), ("noticeNumber", notice)), provinceToken, new DisputeBody("参保人数有误 participants miscounted"), HttpStatusCode.Created, HttpStatusCode.Conflict);

        var officer = client.Token("official.chen", "finance-officer");
        var uphold = new ResolutionBody(DecisionWords.Uphold, "核实后调整 adjusted after review", amountYuan);
        var path = ApiRoutes.Fill(ApiRoutes.DisputeResolution, ("code", province), ("noticeNumber", notice));
        await KillWhileAnsweringAsync(client.CallAsync(HttpMethod.Post, path, officer, uphold, HttpStatusCode.OK), 400, delay => $"{label} {delay} ms into upholding {province}'s dispute");
        await client.CallAsync(HttpMethod.Post, path, officer, uphold, HttpStatusCode.OK, HttpStatusCode.Conflict);
        var disputes = await client.ReadAsync<List<Dispute>>(ApiRoutes.Fill(ApiRoutes.Disputes) + $"?province={province}", officer);
        var dispute = disputes.Single(d => d.NoticeNumber == notice);
        var runId = dispute.CorrectionRunId
            ?? throw new InvalidOperationException($"dispute {province}/{notice} is {dispute.Status} with no correction after the uphold was answered: {dispute}");
        return (notice, runId);
    }

    /// <summary>Every province acknowledges its notices of the runs, eight at a time; killed part-way, then all sent again.</summary>
    private async Task<IReadOnlyList<(string Province, string Notice)>> AcknowledgeAsync(string label, IReadOnlyList<string> runIds)
    {
        var notices = new List<(string Province, string Notice)>();
        foreach (var province in ProvinceCodes.All)
        {
            var list = await client.ReadAsync<List<InboxNotice>>(ApiRoutes.Fill(ApiRoutes.ProvinceNotices, ("code", province)), client.Token("finance." + province, "province:" + province));
            notices.AddRange(list.Where(n => runIds.Contains(n.RunId)).Select(n => (province, n.NoticeNumber)));
        }

        Task SendAllAsync() => Parallel.ForEachAsync(notices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            await client.CallAsync(HttpMethod.Post, ApiRoutes.Fill(ApiRoutes.Acknowledgement, ("code", n.Province), ("noticeNumber", n.Notice)), client.Token("finance." + n.Province, "province:" + n.Province), null, HttpStatusCode.OK));

        await KillWhileAnsweringAsync(SendAllAsync(), 1500, delay => $"{label} {delay} ms into {notices.Count} acknowledgements");
        await SendAllAsync();
        return notices;
    }

    /// <summary>
    /// Kills the host a seeded random time (under <paramref name="maxDelayMs"/>) into calls in flight, whose answers are
    /// then lost with it (the caller sends them again); <paramref name="describe"/> names the kill from its delay.
    /// </summary>
    private async Task KillWhileAnsweringAsync(Task inFlight, int maxDelayMs, Func<int, string> describe)
    {
        var delay = random.Next(0, maxDelayMs);
        await Task.Delay(delay);
        await client.KillAsync(describe(delay));
        try
        {
            await inFlight;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            // the answers in flight were lost with the host
        }
    }

    private async Task<Dictionary<string, long>> AllocationsAsync(string runId)
    {
        var view = await client.ReadAsync<RunDetail>(ApiRoutes.Fill(ApiRoutes.Run, ("runId", runId)), client.Token("auditor.sun", "auditor"));
        return view.Allocations.ToDictionary(a => a.Code, a => a.AmountYuan, StringComparer.Ordinal);
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
