using System.Net;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>A province disputes a notice; a finance officer rejects the dispute or upholds it into a correction.</summary>
public abstract class DisputeTests(EngineFixture fixture)
{
    [Fact]
    public async Task A_dispute_is_rejected_with_a_reason_and_another_upheld_into_an_approved_correction()
    {
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var guangdong = (await outbox.ListForProvinceAsync("44")).Single(n => n.RunId == runId);
        var guangxi = (await outbox.ListForProvinceAsync("45")).Single(n => n.RunId == runId);
        var dispute = new { reason = "recipients in 2025 were 301,100, not 300,600", figures = new[] { new { field = "assistance_recipients", claimed = "301100" } }, attachment = "docs/gd-2026-017.pdf" };

        var opened = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{guangdong.NoticeNumber}/disputes", "province:44", "gd.finance", dispute);
        var twice = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{guangdong.NoticeNumber}/disputes", "province:44", "gd.finance", dispute);
        var stranger = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{guangdong.NoticeNumber}/disputes", "province:45", "gx.finance", dispute);
        var unknown = await fixture.CallAsync(HttpMethod.Post, "/api/provinces/44/notices/GF-2026-medical-assistance-44-00000000/disputes", "province:44", "gd.finance", dispute);
        var noReason = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/45/notices/{guangxi.NoticeNumber}/disputes", "province:45", "gx.finance", new { reason = " " });
        var gx = await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/45/notices/{guangxi.NoticeNumber}/disputes", "province:45", "gx.finance", new { reason = "performance score misread" });

        Assert.Equal(HttpStatusCode.Created, opened.Status);
        Assert.Equal("open", opened.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Equal(HttpStatusCode.Created, gx.Status);

        // An open dispute blocks the notice's pass-down until it is resolved.
        await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{guangdong.NoticeNumber}/acknowledgement", "province:44", "gd.finance");
        var passDown = new System.Text.Json.Nodes.JsonObject
        {
            ["noticeNumber"] = guangdong.NoticeNumber,
            ["parameters"] = System.Text.Json.Nodes.JsonNode.Parse(EngineFixture.Parameters("medical-assistance")),
            ["countiesCsv"] = EngineFixture.CountiesCsv("44"),
        }.ToJsonString();
        var blocked = await fixture.CallAsync(HttpMethod.Post, "/api/provinces/44/pass-downs", "province:44", "gd.finance", passDown);
        Assert.Equal(HttpStatusCode.Conflict, blocked.Status);
        Assert.Contains("under dispute", blocked.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var openList = await fixture.CallAsync(HttpMethod.Get, "/api/disputes?status=open", "auditor", "auditor.sun");
        var byProvince = await fixture.CallAsync(HttpMethod.Get, "/api/disputes", "province:44", "gd.finance");
        Assert.Equal(2, openList.Body.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, byProvince.Status);

        var rejected = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/45/{guangxi.NoticeNumber}/resolution", "finance-officer", "official.chen", new { decision = "reject", reason = "the score is the ministry's published figure" });
        var rejectedAgain = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/45/{guangxi.NoticeNumber}/resolution", "finance-officer", "official.chen", new { decision = "uphold", reason = "x", amountYuan = 1 });
        Assert.Equal(HttpStatusCode.OK, rejected.Status);
        Assert.Equal("rejected", rejected.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, rejectedAgain.Status);

        var corrected = guangdong.AmountYuan + 500;
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{guangdong.NoticeNumber}/resolution", "finance-officer", $"official.{i}", new { decision = "uphold", reason = "recount confirmed", amountYuan = corrected })));
        var upheld = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        Assert.Equal("upheld", upheld.Body.GetProperty("status").GetString());
        var correctionRunId = upheld.Body.GetProperty("correctionRunId").GetString()!;

        await fixture.ApproveAndCompleteAsync(correctionRunId);
        var entries = await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(correctionRunId);
        Assert.Contains(entries, e => e.Kind == LedgerEntryKinds.Reversal && e.AmountYuan == guangdong.AmountYuan);
        Assert.Contains(entries, e => e.Kind == LedgerEntryKinds.Advance && e.AmountYuan == corrected && e.Reason!.Contains(guangdong.NoticeNumber, StringComparison.Ordinal));
        var final = await fixture.CallAsync(HttpMethod.Get, "/api/disputes?province=44", "auditor", "auditor.sun");
        var steps = final.Body[0].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
        Assert.Equal(["opened", "upheld", "correction-started"], steps);

        // Each province follows its own dispute from its inbox: the centre's answer (who, why) and the correction it led to.
        var gdInbox = await fixture.CallAsync(HttpMethod.Get, "/api/provinces/44/notices", "province:44", "gd.finance");
        var gdDispute = gdInbox.Body.EnumerateArray().Single(n => n.GetProperty("noticeNumber").GetString() == guangdong.NoticeNumber).GetProperty("dispute");
        Assert.Equal("upheld", gdDispute.GetProperty("status").GetString());
        Assert.Equal(correctionRunId, gdDispute.GetProperty("correctionRunId").GetString());
        Assert.Equal(corrected, gdDispute.GetProperty("upheldAmountYuan").GetInt64());
        var gxInbox = await fixture.CallAsync(HttpMethod.Get, "/api/provinces/45/notices", "province:45", "gx.finance");
        var gxDispute = gxInbox.Body.EnumerateArray().Single(n => n.GetProperty("noticeNumber").GetString() == guangxi.NoticeNumber).GetProperty("dispute");
        var answer = gxDispute.GetProperty("steps").EnumerateArray().Last();
        Assert.Equal(("rejected", "official.chen", "the score is the ministry's published figure"), (answer.GetProperty("step").GetString(), answer.GetProperty("by").GetString(), answer.GetProperty("note").GetString()));
        Assert.All(gdInbox.Body.EnumerateArray().Where(n => n.GetProperty("noticeNumber").GetString() != guangdong.NoticeNumber), n => Assert.False(n.TryGetProperty("dispute", out _)));
    }
}
