using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using GrantFlow.Contracts;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// A province passes its grant to its prefectures (下达到市), a prefecture to its counties, by the same rules: its own
/// approvers, retention, the 30-day deadline from its receipt, linked entries, notices on its queue; any county yuan
/// traces back through every level to the central entry, and a broken link is reported.
/// </summary>
public abstract class PrefecturePassDownTests(EngineFixture fixture)
{
    private const string Program = "medical-assistance";

    private static string Body(string notice, decimal retention, string? counties = null, string? prefectures = null)
    {
        var body = new JsonObject
        {
            ["noticeNumber"] = notice,
            ["parameters"] = JsonNode.Parse(EngineFixture.Parameters(Program)),
            ["retentionShare"] = retention,
            ["approvalTimeout"] = "00:10:00",
        };
        if (counties is not null)
        {
            body["countiesCsv"] = counties;
        }

        if (prefectures is not null)
        {
            body["prefecturesCsv"] = prefectures;
        }

        return body.ToJsonString();
    }

    private async Task DecideAsync(string runId, string role)
    {
        foreach (var (stage, user) in new[] { ("review", "reviewer"), ("approval", "approver") })
        {
            for (var i = 0; ; i++)
            {
                var answer = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", role, user, new { stage, decision = "approve" });
                if (answer.Status == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(answer.Status == HttpStatusCode.Conflict && i < 300, $"{stage} of {runId}: {answer.Status} {answer.Body}");
                await Task.Delay(100);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await fixture.Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: false, timeout.Token);
    }

    private async Task<string> StartedAsync(string path, string role, string body)
    {
        var started = await fixture.CallAsync(HttpMethod.Post, path, role, "bureau", body);
        Assert.True(started.Status == HttpStatusCode.Accepted, started.Body.ToString());
        return started.Body.GetProperty("runId").GetString()!;
    }

    [Fact]
    public async Task A_county_yuan_passed_down_through_its_prefecture_traces_back_to_the_central_entry_and_a_broken_link_shows()
    {
        var centralRun = await fixture.CompleteRunAsync(Program);
        var services = fixture.Engine.Services;
        var ledger = services.GetRequiredService<LedgerRepository>();
        var open = services.GetRequiredService<OpenNotices>();
        var central = (await services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("44")).Single(n => n.RunId == centralRun);
        await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{central.NoticeNumber}/acknowledgement", "province:44", "gd.bureau");

        // Guangdong to its 11 prefectures, keeping 2%; wrong data is refused before anything is written.
        var path = "/api/provinces/44/pass-downs";
        var foreign = await fixture.CallAsync(HttpMethod.Post, path, "province:44", "gd", Body(central.NoticeNumber, 0.02m, prefectures: EngineFixture.PrefecturesCsv("45")));
        var both = await fixture.CallAsync(HttpMethod.Post, path, "province:44", "gd", Body(central.NoticeNumber, 0.02m, EngineFixture.CountiesCsv("44"), EngineFixture.PrefecturesCsv("44")));
        var countiesAsPrefectures = await fixture.CallAsync(HttpMethod.Post, path, "province:44", "gd", Body(central.NoticeNumber, 0.02m, prefectures: EngineFixture.CountiesCsv("44")));
        Assert.Equal(
            (HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (foreign.Status, both.Status, countiesAsPrefectures.Status));
        Assert.Contains(countiesAsPrefectures.Body.GetProperty("errors").EnumerateArray(), e => e.TryGetProperty("code", out var code) && code.GetString() == "code.unknown-prefecture" && e.GetProperty("row").GetInt32() == 2);
        var provinceRun = await StartedAsync(path, "province:44", Body(central.NoticeNumber, 0.02m, prefectures: EngineFixture.PrefecturesCsv("44")));
        await DecideAsync(provinceRun, "province-approver:44");

        var toPrefectures = await ledger.ReadRunAsync(provinceRun);
        var kept = (long)decimal.Floor(central.AmountYuan * 0.02m);
        Assert.Equal(11, toPrefectures.Count(e => e.Kind == LedgerEntryKinds.PassDown && e.ProvinceCode.Length == 4));
        Assert.Equal((central.AmountYuan, kept), (toPrefectures.Sum(e => e.AmountYuan), toPrefectures.Single(e => e.Kind == LedgerEntryKinds.Retention).AmountYuan));
        var prefectureQueue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient("notices-44-prefectures");
        Assert.Equal(11, (await prefectureQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // The prefecture's inbox: its own, its province's view; not a neighbour's or a county's.
        var inbox = await fixture.CallAsync(HttpMethod.Get, "/api/prefectures/4401/notices", "prefecture:4401", "gz.bureau");
        var byProvince = await fixture.CallAsync(HttpMethod.Get, "/api/prefectures/4401/notices", "province:44", "gd");
        var neighbour = await fixture.CallAsync(HttpMethod.Get, "/api/prefectures/4401/notices", "prefecture:4402", "neighbour");
        var county = await fixture.CallAsync(HttpMethod.Get, "/api/prefectures/4401/notices", "county:440101", "county");
        var notACode = await fixture.CallAsync(HttpMethod.Get, "/api/prefectures/4400/notices", "prefecture:4401", "gz.bureau");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest), (inbox.Status, byProvince.Status, neighbour.Status, county.Status, notACode.Status));
        var notice = Assert.Single(inbox.Body.EnumerateArray());
        var noticeNumber = notice.GetProperty("noticeNumber").GetString()!;
        var prefectureEntry = toPrefectures.Single(e => e.ProvinceCode == "4401");
        Assert.Equal((LedgerEntryKinds.PassDown, prefectureEntry.AmountYuan), (notice.GetProperty("kind").GetString(), notice.GetProperty("amountYuan").GetInt64()));
        Assert.NotNull(await open.FindPendingPassDownAsync("4401", noticeNumber)); // its 30 days run from its receipt

        // The prefecture passes it to its 12 counties, approved by its own approvers only.
        var prefecturePath = "/api/prefectures/4401/pass-downs";
        var counties = EngineFixture.CountiesCsv("4401");
        var unacknowledged = await fixture.CallAsync(HttpMethod.Post, prefecturePath, "prefecture:4401", "gz", Body(noticeNumber, 0.01m, counties));
        var ack = await fixture.CallAsync(HttpMethod.Post, $"/api/prefectures/4401/notices/{noticeNumber}/acknowledgement", "prefecture:4401", "gz.bureau");
        var byProvinceRole = await fixture.CallAsync(HttpMethod.Post, prefecturePath, "province:44", "gd", Body(noticeNumber, 0.01m, counties));
        var neighbourCounties = await fixture.CallAsync(HttpMethod.Post, prefecturePath, "prefecture:4401", "gz", Body(noticeNumber, 0.01m, EngineFixture.CountiesCsv("4402")));
        var toPrefecturesAgain = await fixture.CallAsync(HttpMethod.Post, prefecturePath, "prefecture:4401", "gz", Body(noticeNumber, 0.01m, prefectures: EngineFixture.PrefecturesCsv("4401")));
        Assert.Equal(
            (HttpStatusCode.Conflict, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (unacknowledged.Status, ack.Status, byProvinceRole.Status, neighbourCounties.Status, toPrefecturesAgain.Status));
        var prefectureRun = await StartedAsync(prefecturePath, "prefecture:4401", Body(noticeNumber, 0.01m, counties));
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.CallAsync(HttpMethod.Post, prefecturePath, "prefecture:4401", "gz", Body(noticeNumber, 0.01m, counties))).Status);
        foreach (var stranger in new[] { "province-approver:44", "prefecture-approver:4402", "approver" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{prefectureRun}/decisions", stranger, "stranger", new { stage = "review", decision = "approve" })).Status);
        }

        await DecideAsync(prefectureRun, "prefecture-approver:4401");
        var toCounties = await ledger.ReadRunAsync(prefectureRun);
        Assert.Equal(12, toCounties.Count(e => e.Kind == LedgerEntryKinds.PassDown));
        Assert.Equal(prefectureEntry.AmountYuan, toCounties.Sum(e => e.AmountYuan));
        Assert.Equal("4401", toCounties.Single(e => e.Kind == LedgerEntryKinds.Retention).ProvinceCode);
        Assert.All(toCounties, e => Assert.Equal(EntryReference.Of(prefectureEntry).ToString(), e.PassesDown));
        Assert.Null(await open.FindPendingPassDownAsync("4401", noticeNumber)); // passed down: its deadline is met
        var audit = services.GetRequiredService<LedgerAuditService>();
        foreach (var run in new[] { provinceRun, prefectureRun })
        {
            var verified = (await audit.VerifyRunAsync(run))!;
            Assert.True(verified.Intact, string.Join("; ", verified.Problems.Select(p => p.Message)));
        }

        // The county's notice, as the county and as its prefecture read it; the release names the prefecture as payer.
        Assert.Equal(HttpStatusCode.OK, (await fixture.CallAsync(HttpMethod.Get, "/api/counties/440101/notices", "prefecture:4401", "gz")).Status);
        var countyNotice = Assert.Single((await fixture.CallAsync(HttpMethod.Get, "/api/counties/440101/notices", "county:440101", "county")).Body.EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Get, "/api/counties/440201/notices", "prefecture:4401", "gz")).Status);
        using (var published = await fixture.SendAsync(HttpMethod.Get, $"/api/public/releases/{prefectureRun}.json", role: null))
        {
            var release = GrantFlow.Workflows.Disclosure.ReleaseDocuments.FromJson<GrantFlow.Domain.Disclosure.PublishedRelease>(await published.Content.ReadAsByteArrayAsync())!;
            Assert.Equal(("4401", "广东01市财政"), (release.Payer, release.PayerName));
        }

        // Its pass-downs, as the prefecture's approvers and its province list them.
        var listed = await fixture.CallAsync(HttpMethod.Get, $"{prefecturePath}?status=completed", "province:44", "gd");
        Assert.Equal(prefectureRun, Assert.Single(listed.Body.GetProperty("runs").EnumerateArray()).GetProperty("runId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.CallAsync(HttpMethod.Get, prefecturePath, "prefecture:4402", "neighbour")).Status);
        var overseen = await fixture.CallAsync(HttpMethod.Get, "/api/runs?owner=4401", "province:44", "gd");
        var byProvinceApprover = await fixture.CallAsync(HttpMethod.Get, "/api/runs?owner=4401", "province-approver:44", "gd.approver");
        Assert.Contains(overseen.Body.GetProperty("runs").EnumerateArray(), r => r.GetProperty("runId").GetString() == prefectureRun);
        Assert.Empty(byProvinceApprover.Body.GetProperty("runs").EnumerateArray()); // the province's approvers decide its own runs; its bureau oversees the prefectures

        // The trace: the county's yuan, up through the prefecture and the province, to the central entry.
        var countySequence = toCounties.Single(e => e.ProvinceCode == "440101").Sequence;
        var trace = await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/{countySequence}", "auditor", "auditor.chen");
        Assert.True(trace.Body.GetProperty("intact").GetBoolean(), trace.Body.ToString());
        Assert.Equal(
            ["440101", "4401", "44"],
            trace.Body.GetProperty("path").EnumerateArray().Select(e => e.GetProperty("provinceCode").GetString()!).ToArray());
        Assert.Equal(centralRun, trace.Body.GetProperty("path")[2].GetProperty("runId").GetString());
        Assert.Equal(countyNotice.GetProperty("amountYuan").GetInt64(), trace.Body.GetProperty("path")[0].GetProperty("amountYuan").GetInt64());
        Assert.Equal(
            (HttpStatusCode.Forbidden, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound),
            ((await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/{countySequence}", "county:440101", "county")).Status,
             (await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/0", "auditor", "auditor.chen")).Status,
             (await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/x", "auditor", "auditor.chen")).Status,
             (await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/999", "auditor", "auditor.chen")).Status));

        // The province's entry to the prefecture is edited after the fact (its amount): the link from the counties breaks.
        var table = new Azure.Data.Tables.TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowLedger");
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(provinceRun, LedgerRepository.RowKeyFor(prefectureEntry.Sequence))).Value;
        row["AmountYuan"] = prefectureEntry.AmountYuan + 1_000_000;
        await table.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        var broken = await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/trace/{prefectureRun}/{countySequence}", "auditor", "auditor.chen");
        Assert.False(broken.Body.GetProperty("intact").GetBoolean());
        Assert.Contains(broken.Body.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == TraceFinding.Altered && p.GetProperty("message").GetString()!.Contains($"entry {provinceRun}/{prefectureEntry.Sequence} was altered", StringComparison.Ordinal));
        var problems = (await audit.VerifyRunAsync(prefectureRun))!.Problems;
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Link);
    }
}
