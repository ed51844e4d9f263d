using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>A correction is a reversal plus a new entry, each naming the entry it corrects and why; nothing is changed.</summary>
public abstract class CorrectionTests(EngineFixture fixture)
{
    private Task<HttpResponseMessage> PostAsync(string role, object body) => fixture.SendAsync(HttpMethod.Post, "/api/corrections", role, "official.chen", body);

    [Fact]
    public async Task A_correction_reverses_the_entry_and_adds_its_replacement()
    {
        var advanceId = await fixture.CompleteRunAsync("service-capacity");
        var ledger = fixture.Engine.Services.GetRequiredService<LedgerRepository>();
        var original = (await ledger.ReadRunAsync(advanceId)).Single(e => e.ProvinceCode == "44");
        var body = new { correctsRunId = advanceId, provinceCode = "44", amountYuan = original.AmountYuan + 1_000, reason = "designated institutions miscounted" };

        using var byAuditor = await PostAsync("auditor", body);
        using var unchanged = await PostAsync("finance-officer", body with { amountYuan = original.AmountYuan });
        using var started = await PostAsync("finance-officer", body);
        using var twice = await PostAsync("finance-officer", body);

        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        await fixture.ApproveAndCompleteAsync(runId);

        var entries = await ledger.ReadRunAsync(runId);
        Assert.Equal(2, entries.Count);
        var reversal = Assert.Single(entries, e => e.Kind == LedgerEntryKinds.Reversal);
        var replacement = Assert.Single(entries, e => e.Kind == LedgerEntryKinds.Advance);
        Assert.Equal(original.AmountYuan, reversal.AmountYuan);
        Assert.Equal(original.AmountYuan + 1_000, replacement.AmountYuan);
        Assert.All(entries, e => Assert.Equal($"{advanceId}/{original.Sequence}:{original.Hash}", e.Corrects));
        Assert.All(entries, e => Assert.Equal("designated institutions miscounted", e.Reason));
        Assert.Equal(original, (await ledger.ReadRunAsync(advanceId)).Single(e => e.ProvinceCode == "44")); // untouched

        var audit = fixture.Engine.Services.GetRequiredService<LedgerAuditService>();
        Assert.True((await audit.VerifyRunAsync(runId))!.Intact);
        Assert.True((await audit.VerifyRunAsync(advanceId))!.Intact);

        var notice = Assert.Single(await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("44"), n => n.RunId == runId);
        Assert.Equal(original.AmountYuan + 1_000, notice.AmountYuan);
        Assert.Contains("designated institutions miscounted", notice.Instruction, StringComparison.Ordinal);

        var net = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Runs.AllocationRunSteps>();
        Assert.Equal(original.AmountYuan + 1_000, (await net.AdvancedAsync(2026, "service-capacity"))["44"]);
    }
}
