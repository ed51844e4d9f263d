namespace GrantFlow.Contracts;

/// <summary>The stages a run passes through (its custom status and its record's Status).</summary>
public static class RunStatuses
{
    public const string Started = "started";
    public const string Computing = "computing";
    public const string AwaitingReview = "awaiting-review";
    public const string AwaitingApproval = "awaiting-approval";
    public const string WritingLedger = "writing-ledger";
    public const string SendingNotices = "sending-notices";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Failed = "failed";

    /// <summary>Whether the run has ended (nothing about it changes any more).</summary>
    public static bool IsTerminal(string? status) => status is Completed or Rejected or Expired or Failed;

    /// <summary>The order of the stages: a run's status only moves to an equal or a later rank.</summary>
    public static int Rank(string? status) => status switch
    {
        Started => 0,
        Computing => 1,
        AwaitingReview => 2,
        AwaitingApproval => 3,
        WritingLedger => 4,
        SendingNotices => 5,
        Completed or Rejected or Expired or Failed => 6,
        _ => -1,
    };

    public static string AwaitingStage(string stage) => stage == Domain.Approvals.ApprovalStages.Review ? AwaitingReview : AwaitingApproval;
}

/// <summary>What a run does: an advance release, or the settlement of a past year's advance.</summary>
public static class RunKinds
{
    public const string Advance = "advance";
    public const string Settlement = "settlement";
    public const string Correction = "correction";

    /// <summary>The release of the rest of a year's grant after its advance: once per program and year.</summary>
    public const string Remainder = "remainder";

    /// <summary>A province passing one of its notices down to its counties (下达到市县).</summary>
    public const string PassDown = "pass-down";

    /// <summary>Runs whose entries split an envelope (and so must add up to it).</summary>
    public static bool SplitsEnvelope(string kind) => kind is Advance or Remainder or PassDown;
}
