using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Notices;

/// <summary>A disbursement notice to one province: what it gets, under which budget codes, and by when to pass it down.</summary>
public record DisbursementNotice
{
    /// <summary>Days a province has to pass the money down (Budget Law).</summary>
    public const int PassDownDays = 30;

    /// <summary>Unique notice number; consumers dedupe on it (it is also the queue message id in the outbox).</summary>
    public required string NoticeNumber { get; init; }

    public required string RunId { get; init; }
    public required string Program { get; init; }
    public required string ProgramNameZh { get; init; }
    public required int FiscalYear { get; init; }
    public required string ProvinceCode { get; init; }
    public required string ProvinceName { get; init; }
    public required long AmountYuan { get; init; }
    public required decimal AmountWanYuan { get; init; }
    public required string IncomeClassificationCode { get; init; }
    public required string ExpenditureClassificationCode { get; init; }
    public required AllocationExplanation Explanation { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset PassDownDeadline { get; init; }

    /// <summary>The hash of this province's ledger entry, so a province can later prove what it was told.</summary>
    public required string LedgerHash { get; init; }

    /// <summary>The head of the run's hash chain (also in the run record): publishing it anchors the whole run.</summary>
    public string? ChainHeadHash { get; init; }

    /// <summary>The ledger entry kind: advance, settlement-topup or settlement-recovery.</summary>
    public string Kind { get; init; } = Ledger.LedgerEntryKinds.Advance;

    /// <summary>The inclusion proof of this notice's entry in its run's Merkle root (absent from notices sent before receipts).</summary>
    public Receipts.NoticeReceipt? Receipt { get; init; }

    /// <summary>What the notice says of its entry, with its receipt, for <see cref="Receipts.ReceiptVerifier"/>.</summary>
    public Receipts.ReceiptClaim Claim() => new(RunId, NoticeNumber, ProvinceCode, Kind, AmountYuan, LedgerHash, Receipt);

    /// <summary>What the province is to do (for a settlement: how the top-up is paid or the recovery deducted).</summary>
    public string? Instruction { get; init; }

    /// <summary>Notice number: GF-{year}-{program}-{province}-{first 8 of the run id}.</summary>
    public static string NumberFor(string runId, string program, int fiscalYear, string provinceCode)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return string.Create(CultureInfo.InvariantCulture, $"GF-{fiscalYear}-{program}-{provinceCode}-{runId[..Math.Min(8, runId.Length)]}");
    }

    public static DisbursementNotice Create(string runId, int fiscalYear, ProvinceAllocation allocation, GrantProgram program, DateTimeOffset issuedAt, string ledgerHash)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(program);
        return new DisbursementNotice
        {
            NoticeNumber = NumberFor(runId, program.Id, fiscalYear, allocation.Code),
            RunId = runId,
            Program = program.Id,
            ProgramNameZh = program.NameZh,
            FiscalYear = fiscalYear,
            ProvinceCode = allocation.Code,
            ProvinceName = $"{allocation.NameEn} {allocation.NameZh}",
            AmountYuan = allocation.AmountYuan,
            AmountWanYuan = allocation.AmountWanYuan,
            IncomeClassificationCode = program.IncomeClassificationCode,
            ExpenditureClassificationCode = program.ExpenditureClassificationCode,
            Explanation = allocation.Explanation,
            IssuedAt = issuedAt,
            PassDownDeadline = issuedAt.AddDays(PassDownDays),
            LedgerHash = ledgerHash,
        };
    }
}
