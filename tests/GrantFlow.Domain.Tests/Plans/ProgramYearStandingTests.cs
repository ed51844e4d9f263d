using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Plans;

namespace GrantFlow.Domain.Tests.Plans;

public class ProgramYearStandingTests
{
    [Fact]
    public void Corrections_count_against_the_kind_they_reverse_and_pass_downs_are_not_counted_again()
    {
        List<LedgerEntry> entries =
        [
            Entry("adv", 1, "11", LedgerEntryKinds.Advance, 600),
            Entry("adv", 2, "12", LedgerEntryKinds.Advance, 300),
            Entry("rem", 1, "11", LedgerEntryKinds.Remainder, 60),
            Entry("rem", 2, "12", LedgerEntryKinds.Remainder, 40),
            Entry("fix1", 1, "12", LedgerEntryKinds.Reversal, 300, corrects: "adv/2:abc"),
            Entry("fix1", 2, "12", LedgerEntryKinds.Advance, 280),
            Entry("fix2", 1, "11", LedgerEntryKinds.Reversal, 60, corrects: "rem/1:def"),
            Entry("fix2", 2, "11", LedgerEntryKinds.Remainder, 70),
            Entry("set", 1, "11", LedgerEntryKinds.SettlementTopUp, 15),
            Entry("set", 2, "12", LedgerEntryKinds.SettlementRecovery, 5),
            Entry("pd", 1, "110101", LedgerEntryKinds.PassDown, 500),
            Entry("pd", 2, "11", LedgerEntryKinds.Retention, 100),
        ];
        var plan = new ProgramYearPlan { Program = "service-capacity", FiscalYear = 2026, TransferKind = "special", ExpectedYuan = 1_000, SetBy = "official.li", SetAt = DateTimeOffset.UnixEpoch, Version = 2 };
        var other = plan with { Program = "medical-assistance", ExpectedYuan = 5_000 };

        var standings = ProgramYearStanding.Compute(entries, [plan, other]);

        var s = Assert.Single(standings, x => x.Program == "service-capacity");
        Assert.Equal((880L, 110L, 10L, 990L, 10L), (s.AdvancedYuan, s.RemainderYuan, s.SettledYuan, s.ReleasedYuan, s.OutstandingYuan!.Value));
        Assert.Equal(("88.00%", true, 2), (s.Ratio!.Percent, s.Ratio.MeetsMinimum, s.PlanVersion!.Value));

        var planned = Assert.Single(standings, x => x.Program == "medical-assistance"); // a plan with nothing released yet
        Assert.Equal((0L, "0.00%", 5_000L), (planned.ReleasedYuan, planned.Ratio!.Percent, planned.OutstandingYuan!.Value));

        var unplanned = Assert.Single(ProgramYearStanding.Compute(entries, []));
        Assert.Null(unplanned.Ratio);
        Assert.Null(unplanned.OutstandingYuan);
        Assert.Equal(880, unplanned.AdvancedYuan);
    }

    private static LedgerEntry Entry(string run, int sequence, string code, string kind, long amount, string? corrects = null) => new()
    {
        RunId = run,
        Sequence = sequence,
        Program = "service-capacity",
        FiscalYear = 2026,
        ProvinceCode = code,
        Kind = kind,
        AmountYuan = amount,
        NoticeNumber = "n",
        FormulaVersion = "f",
        ExplanationDigest = "d",
        Approvals = "a",
        RecordedAt = DateTimeOffset.UnixEpoch,
        Corrects = corrects,
        PreviousHash = LedgerChain.Genesis,
        Hash = "h",
    };
}
