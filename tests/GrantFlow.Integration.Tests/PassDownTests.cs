using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Integration.Tests;

/// <summary>Provinces pass their grant down to their counties with the same engine, their own approvers and a traceable ledger.</summary>
public abstract class PassDownTests(EngineFixture fixture)
{
    private static string PassDownBody(string notice, string counties, decimal retention, string program = "medical-assistance") => new JsonObject
    {
        ["noticeNumber"] = notice,
        ["parameters"] = JsonNode.Parse(EngineFixture.Parameters(program)),
        ["countiesCsv"] = counties,
        ["retentionShare"] = retention,
        ["approvalTimeout"] = "00:10:00",
    }.ToJsonString();

    private async Task DecideAsync(string runId, string stage, string role, string user)
    {
        for (var i = 0; i < 300; i++)
        {
            var answer = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", role, user, new { stage, decision = "approve" });
            if (answer.Status == HttpStatusCode.OK)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.Conflict, answer.Status); // not yet awaiting this stage
            await Task.Delay(100);
        }

        Assert.Fail($"{stage} of {runId} never opened");
    }

    [Fact]
    public async Task Two_provinces_pass_down_to_their_counties_to_the_yuan_traceable_to_the_central_entry()
    {
        var centralRun = await fixture.CompleteRunAsync("medical-assistance");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var ledger = fixture.Engine.Services.GetRequiredService<LedgerRepository>();
        foreach (var (province, retention, counties) in new[] { ("44", 0.05m, 122), ("45", 0m, 111) })
        {
            var notice = (await outbox.ListForProvinceAsync(province)).Single(n => n.RunId == centralRun);
            var body = PassDownBody(notice.NoticeNumber, EngineFixture.CountiesCsv(province), retention);

            var unacknowledged = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", $"province:{province}", "bureau", body);
            await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/notices/{notice.NoticeNumber}/acknowledgement", $"province:{province}", "bureau");
            var stranger = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", "province:11", "beijing", body);
            var foreignCounties = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", $"province:{province}", "bureau", PassDownBody(notice.NoticeNumber, EngineFixture.CountiesCsv("11"), retention));
            var tooMuchKept = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", $"province:{province}", "bureau", PassDownBody(notice.NoticeNumber, EngineFixture.CountiesCsv(province), 0.2m));
            var started = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", $"province:{province}", "bureau", body);
            var twice = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{province}/pass-downs", $"province:{province}", "bureau", body);

            Assert.Equal(HttpStatusCode.Conflict, unacknowledged.Status);
            Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);
            Assert.Equal(HttpStatusCode.BadRequest, foreignCounties.Status);
            Assert.Equal(HttpStatusCode.BadRequest, tooMuchKept.Status);
            Assert.True(started.Status == HttpStatusCode.Accepted, started.Body.ToString());
            Assert.Equal(HttpStatusCode.Conflict, twice.Status);
            var runId = started.Body.GetProperty("runId").GetString()!;

            var central = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", "approver", "approver.zhao", new { stage = "review", decision = "approve" });
            var otherProvince = await fixture.CallAsync(HttpMethod.Post, $"/api/runs/{runId}/decisions", "province-approver:11", "bj.reviewer", new { stage = "review", decision = "approve" });
            Assert.Equal(HttpStatusCode.Forbidden, central.Status);
            Assert.Equal(HttpStatusCode.Forbidden, otherProvince.Status);
            Assert.Empty((await fixture.Runs.GetAsync(runId))!.Decisions);
            await DecideAsync(runId, "review", $"province-approver:{province}", "reviewer");
            await DecideAsync(runId, "approval", $"province-approver:{province}", "approver");
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await fixture.Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: false, timeout.Token);
            }

            var entries = await ledger.ReadRunAsync(runId);
            var kept = (long)decimal.Floor(notice.AmountYuan * retention);
            Assert.Equal(counties, entries.Count(e => e.Kind == LedgerEntryKinds.PassDown));
            Assert.Equal(notice.AmountYuan - kept, entries.Where(e => e.Kind == LedgerEntryKinds.PassDown).Sum(e => e.AmountYuan));
            Assert.Equal(kept, entries.Where(e => e.Kind == LedgerEntryKinds.Retention).Sum(e => e.AmountYuan));
            Assert.All(entries, e => Assert.StartsWith($"{centralRun}/", e.PassesDown, StringComparison.Ordinal));
            var verification = await fixture.Engine.Services.GetRequiredService<LedgerAuditService>().VerifyRunAsync(runId);
            Assert.True(verification!.Intact, string.Join("; ", verification.Problems.Select(p => p.Message)));

            var county = $"{province}0101";
            var countyNotices = await fixture.CallAsync(HttpMethod.Get, $"/api/counties/{county}/notices", $"county:{county}", "county.bureau");
            var neighbour = await fixture.CallAsync(HttpMethod.Get, $"/api/counties/{county}/notices", $"county:{province}0102", "neighbour");
            Assert.Equal(HttpStatusCode.OK, countyNotices.Status);
            var countyNotice = Assert.Single(countyNotices.Body.EnumerateArray());
            // The pass-down is published with the province as payer; the county's receipt proves itself against it.
            using (var published = await fixture.SendAsync(HttpMethod.Get, $"/api/public/releases/{runId}.json", role: null))
            {
                var release = GrantFlow.Workflows.Disclosure.ReleaseDocuments.FromJson<GrantFlow.Domain.Disclosure.PublishedRelease>(await published.Content.ReadAsByteArrayAsync())!;
                Assert.Equal((province, "pass-down", entries.Count), (release.Payer, release.RunKind, release.Lines.Count));
                Assert.EndsWith("财政", release.PayerName, StringComparison.Ordinal);
                var countyReceived = System.Text.Json.JsonSerializer.Deserialize<GrantFlow.Domain.Notices.DisbursementNotice>(countyNotice.GetRawText(), GrantFlow.Workflows.Disclosure.ReleaseDocuments.Json)!;
                var check = GrantFlow.Domain.Receipts.ReceiptVerifier.Verify(countyReceived.Claim(), release);
                Assert.True(check.Verified, string.Join("; ", check.Findings.Select(f => f.Message)));
            }

            Assert.Equal(HttpStatusCode.Forbidden, neighbour.Status);
            var ack = await fixture.CallAsync(HttpMethod.Post, $"/api/counties/{county}/notices/{countyNotice.GetProperty("noticeNumber").GetString()}/acknowledgement", $"county:{county}", "county.bureau");
            Assert.Equal(HttpStatusCode.OK, ack.Status);
            var queue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient($"notices-{province}-counties");
            Assert.Equal(counties, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

            // The province's own pass-downs, as its bureau and its approvers list them; another province may not look.
            var own = await fixture.CallAsync(HttpMethod.Get, $"/api/provinces/{province}/pass-downs?status=completed", $"province-approver:{province}", "approver");
            var nosy = await fixture.CallAsync(HttpMethod.Get, $"/api/provinces/{province}/pass-downs", "province:11", "beijing");
            Assert.Equal(HttpStatusCode.OK, own.Status);
            var listed = Assert.Single(own.Body.GetProperty("runs").EnumerateArray());
            Assert.Equal(runId, listed.GetProperty("runId").GetString());
            Assert.Equal((RunKinds.PassDown, province), (listed.GetProperty("kind").GetString(), listed.GetProperty("owner").GetString()));
            Assert.Equal(HttpStatusCode.Forbidden, nosy.Status);
        }
    }

    [Fact]
    public async Task A_tampered_link_to_the_central_entry_is_reported()
    {
        var centralRun = await fixture.CompleteRunAsync("service-capacity");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var notice = (await outbox.ListForProvinceAsync("46")).Single(n => n.RunId == centralRun);
        await outbox.AcknowledgeAsync("46", notice.NoticeNumber, "hainan", DateTimeOffset.UtcNow);
        var body = PassDownBody(notice.NoticeNumber, EngineFixture.CountiesCsv("46"), 0m, "service-capacity");
        var started = await fixture.CallAsync(HttpMethod.Post, "/api/provinces/46/pass-downs", "province:46", "hainan", body);
        Assert.True(started.Status == HttpStatusCode.Accepted, started.Body.ToString());
        var runId = started.Body.GetProperty("runId").GetString()!;
        await DecideAsync(runId, "review", "province-approver:46", "reviewer");
        await DecideAsync(runId, "approval", "province-approver:46", "approver");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await fixture.Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: false, timeout.Token);
        }

        // The central entry is edited after the fact: its hash no longer matches, so the county money traces back to nothing.
        var central = new Azure.Data.Tables.TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowLedger");
        var sequence = int.Parse((await fixture.Runs.GetAsync(runId))!.Run.PassesDown!.Split('/', ':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var row = (await central.GetEntityAsync<Azure.Data.Tables.TableEntity>(centralRun, LedgerRepository.RowKeyFor(sequence))).Value;
        row["Hash"] = new string('f', 64);
        await central.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        var problems = (await fixture.Engine.Services.GetRequiredService<LedgerAuditService>().VerifyRunAsync(runId))!.Problems;

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Link);
    }
}
