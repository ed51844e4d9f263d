using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Ledger;
using GrantFlow.Contracts;

namespace GrantFlow.Console.Services;

// The API's answers as the console reads them. Domain types are reused where the API writes them as they are
// (allocations with explanations, ledger entries, notices, verification results, decisions).

public sealed record RunSummary
{
    public required string RunId { get; init; }
    public string Kind { get; init; } = RunKinds.Advance;
    public required string Program { get; init; }
    public int FiscalYear { get; init; }
    public long EnvelopeYuan { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public long? TotalYuan { get; init; }
    public int? ProvinceCount { get; init; }
    public int? LedgerEntries { get; init; }
    public string? LedgerHeadHash { get; init; }
    public int? NoticesSent { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? StageTimings { get; init; }
    public string? Recipients { get; init; }
    public string? Owner { get; init; }
    public string? PassesDownNotice { get; init; }
    public long? RetentionYuan { get; init; }

    public bool Ended => RunStatuses.IsTerminal(Status);

    public string? AwaitingStage => Status switch
    {
        RunStatuses.AwaitingReview => ApprovalStages.Review,
        RunStatuses.AwaitingApproval => ApprovalStages.Approval,
        _ => null,
    };
}

public sealed record RunListPage(IReadOnlyList<RunSummary> Runs, string? ContinuationToken);

public sealed record RunProgressView(string Stage, string Detail);

public sealed record RunDetail(RunSummary Run, IReadOnlyList<ProvinceAllocation> Allocations, IReadOnlyList<ApprovalDecision> Decisions, RunProgressView? Progress);

public sealed record LedgerListPage(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken);

public sealed record LedgerTotalLine(int FiscalYear, string Program, string ProvinceCode, string Kind, int Entries, long AmountYuan, long NetYuan);

public sealed record LedgerTotalsAnswer(IReadOnlyList<LedgerTotalLine> Lines);

public sealed record VerificationView(string RunId, int EntriesChecked, string RecomputedHeadHash, IReadOnlyList<LedgerProblem> Problems, bool Intact);

public sealed record MonthlyLine(int FiscalYear, string Month, string Program, string ProvinceCode, long AdvancedYuan, long TopUpsYuan, long RecoveriesYuan, long NetYuan, long OutstandingYuan, int NoticesAcknowledged, int NoticesUnacknowledged, int PassDownsOverdue);

public sealed record ChaseLine(string ProvinceCode, string NoticeNumber, DateTimeOffset SentAt, int Chases, int Level, DateTimeOffset? LastChasedAt);

public sealed record OverdueLine(string ProvinceCode, string NoticeNumber, string Program, int FiscalYear, DateTimeOffset SentAt, bool Reminded, DateTimeOffset? OverdueSince);

/// <summary>A notice in a province's inbox: as sent, and whether (and by whom) it was acknowledged.</summary>
public sealed record InboxNotice
{
    public required string NoticeNumber { get; init; }
    public required string RunId { get; init; }
    public required string Program { get; init; }
    public required string ProgramNameZh { get; init; }
    public int FiscalYear { get; init; }
    public required string ProvinceCode { get; init; }
    public required string ProvinceName { get; init; }
    public long AmountYuan { get; init; }
    public required string IncomeClassificationCode { get; init; }
    public required string ExpenditureClassificationCode { get; init; }
    public required AllocationExplanation Explanation { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset PassDownDeadline { get; init; }
    public string Kind { get; init; } = RunKinds.Advance;
    public string? Instruction { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }

    public bool CanPassDown => Kind is RunKinds.Advance or RunKinds.Remainder;
}

public sealed record DisputeView(string ProvinceCode, string NoticeNumber, string RunId, string Program, int FiscalYear, long AmountYuan, string Status, string Reason, string? CorrectionRunId);
