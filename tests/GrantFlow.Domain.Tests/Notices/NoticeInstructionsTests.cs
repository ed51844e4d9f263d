using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Tests.Notices;

public class NoticeInstructionsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static (DisbursementNotice Notice, LedgerEntry Entry) Issued(string kind, string? corrects = null)
    {
        var input = TestData.Bundled("medical-assistance");
        var allocation = GrantAllocator.Allocate(input.Parameters, input.Provinces).Provinces.Single(p => p.Code == "44");
        var notice = DisbursementNotice.Create("0123456789abcdef0123456789abcdef", 2026, allocation, GrantProgramCatalog.All.Single(p => p.Id == "medical-assistance"), At, "hash");
        var entry = new LedgerEntry
        {
            RunId = notice.RunId,
            Sequence = 1,
            Program = notice.Program,
            FiscalYear = 2026,
            ProvinceCode = "44",
            Kind = kind,
            AmountYuan = 1_234_567,
            NoticeNumber = notice.NoticeNumber,
            FormulaVersion = "factor/1",
            ExplanationDigest = "d",
            Approvals = "review:a;approval:b",
            RecordedAt = At,
            PreviousHash = string.Empty,
            Hash = string.Empty,
            Corrects = corrects,
            Reason = corrects is null ? null : "受益人数复核",
        };
        return (notice, entry);
    }

    [Fact]
    public void A_top_up_is_paid_a_recovery_deducted_a_correction_names_what_it_replaces_and_an_advance_carries_none()
    {
        var (advance, advanceEntry) = Issued(LedgerEntryKinds.Advance);
        var (topUp, topUpEntry) = Issued(LedgerEntryKinds.SettlementTopUp);
        var (recovery, recoveryEntry) = Issued(LedgerEntryKinds.SettlementRecovery);
        var (correction, correctionEntry) = Issued(LedgerEntryKinds.Advance, corrects: "run0/3:abcdef");

        Assert.Null(advance.WithInstruction(advanceEntry).Instruction);
        Assert.StartsWith("补拨 top-up: 1,234,567 yuan", topUp.WithInstruction(topUpEntry).Instruction, StringComparison.Ordinal);
        Assert.StartsWith("扣回 recovery: 1,234,567 yuan", recovery.WithInstruction(recoveryEntry).Instruction, StringComparison.Ordinal);
        Assert.Equal("更正 correction: this notice of 1,234,567 yuan replaces the entry run0/3; reason: 受益人数复核", correction.WithInstruction(correctionEntry).Instruction);
    }
}
