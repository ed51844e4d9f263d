using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;
using GrantFlow.Workflows.Http;

namespace GrantFlow.Integration.Tests;

/// <summary>Settlement (清算) of the 2026 service-capacity advance against actual figures.</summary>
public abstract class SettlementTests(EngineFixture fixture)
{
    private const string Program = "service-capacity";

    /// <summary>Actual figures: Guangdong has 4,000 more designated institutions, Beijing 5,000 fewer.</summary>
    private static string Actuals() =>
        EngineFixture.ProvincesCsv
            .Replace(",93.3,17630", ",93.3,12630", StringComparison.Ordinal)
            .Replace("44,Guangdong,广东,", "44,Guangdong,广东,", StringComparison.Ordinal)
            .Split('\n')
            .Select(line => line.StartsWith("44,", StringComparison.Ordinal) ? Bump(line) : line)
            .Aggregate((a, b) => a + "\n" + b);

    private static string Bump(string line)
    {
        var fields = line.Split(',');
        fields[^1] = (long.Parse(fields[^1], System.Globalization.CultureInfo.InvariantCulture) + 4000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', fields);
    }

    private async Task<string> SettleAsync()
    {
        var run = await fixture.Runs.StartSettlementAsync(EngineFixture.Parameters(Program), Actuals(), "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        await fixture.ApproveAndCompleteAsync(run.RunId);
        return run.RunId;
    }

    [Fact]
    public async Task A_settlement_tops_up_and_recovers_so_each_province_ends_at_its_settled_entitlement()
    {
        await Assert.ThrowsAsync<ConflictException>(() =>
            fixture.Runs.StartSettlementAsync(EngineFixture.Parameters(Program), Actuals(), "official.li")); // no advance yet

        var advanceId = await fixture.CompleteRunAsync(Program);
        var settlementId = await SettleAsync();

        var ledger = fixture.Engine.Services.GetRequiredService<LedgerRepository>();
        var advance = (await ledger.ReadRunAsync(advanceId)).ToDictionary(e => e.ProvinceCode, e => e.AmountYuan);
        var settlement = await ledger.ReadRunAsync(settlementId);
        var expected = GrantAllocator.Allocate(RunParametersReader.Parse(EngineFixture.Parameters(Program)), ProvinceCsvReader.Read(new StringReader(Actuals())))
            .Provinces.ToDictionary(p => p.Code, p => p.AmountYuan);

        Assert.Contains(settlement, e => e.Kind == LedgerEntryKinds.SettlementTopUp && e.ProvinceCode == "44");
        Assert.Contains(settlement, e => e.Kind == LedgerEntryKinds.SettlementRecovery && e.ProvinceCode == "11");
        Assert.All(settlement, e => Assert.True(e.AmountYuan > 0));
        foreach (var (code, settled) in expected)
        {
            var delta = settlement.Where(e => e.ProvinceCode == code).Sum(e => e.Kind == LedgerEntryKinds.SettlementTopUp ? e.AmountYuan : -e.AmountYuan);
            Assert.Equal(settled, advance[code] + delta);
        }

        var verification = await fixture.Engine.Services.GetRequiredService<LedgerAuditService>().VerifyRunAsync(settlementId);
        Assert.True(verification!.Intact, string.Join("; ", verification.Problems.Select(p => p.Message)));

        var recovery = Assert.Single(await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("11"), n => n.RunId == settlementId);
        Assert.Equal(LedgerEntryKinds.SettlementRecovery, recovery.Kind);
        Assert.Contains("deducted", recovery.Instruction, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<ConflictException>(() =>
            fixture.Runs.StartSettlementAsync(EngineFixture.Parameters(Program), Actuals(), "official.li"));
        Assert.Contains("settled once", again.Message, StringComparison.Ordinal);

        // Rule: a settled year is closed; its amounts change through the settlement, never a correction.
        var correction = System.Text.Json.JsonSerializer.Serialize(new { correctsRunId = advanceId, provinceCode = "44", amountYuan = 1, reason = "late census" });
        var closed = await Assert.ThrowsAsync<ConflictException>(() => fixture.Runs.StartCorrectionAsync(correction, "official.li"));
        Assert.Contains("settled", closed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null), r => r.Kind == RunKinds.Correction);
    }
}
