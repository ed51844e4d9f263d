namespace GrantFlow.Contracts;

/// <summary>The states of a dispute.</summary>
public static class DisputeStatuses
{
    public const string Open = "open";

    /// <summary>Upheld by a finance officer, its correction run being started (a retry of the uphold completes it).</summary>
    public const string Upholding = "upholding";
    public const string Rejected = "rejected";
    public const string Upheld = "upheld";
}

/// <summary>The steps a dispute goes through (<see cref="DisputeStep.Step"/>).</summary>
public static class DisputeSteps
{
    public const string Opened = "opened";
    public const string Rejected = "rejected";
    public const string Upheld = "upheld";

    /// <summary>The correction run an upheld dispute led to was started (the step's note is its run id).</summary>
    public const string CorrectionStarted = "correction-started";

    /// <summary>The correction could not be started (a settlement or another correction came first); the dispute is open again.</summary>
    public const string UpholdRefused = "uphold-refused";
}

/// <summary>A figure the province believes is wrong: the field (e.g. "resident_participants") and what it should be.</summary>
public sealed record DisputedFigure(string Field, string Claimed);

/// <summary>One step of a dispute: what happened, who did it, when, and why.</summary>
public sealed record DisputeStep(string Step, string By, DateTimeOffset At, string? Note);

/// <summary>
/// A province's dispute of one of its notices (one per notice): its reason, the figures it believes wrong, an
/// attachment reference, its status, the correction run an upheld dispute started (and the amount it was upheld
/// with), and every step with who took it.
/// </summary>
public sealed record Dispute(
    string ProvinceCode,
    string NoticeNumber,
    string RunId,
    string Program,
    int FiscalYear,
    long AmountYuan,
    string Status,
    string Reason,
    IReadOnlyList<DisputedFigure> Figures,
    string? Attachment,
    string? CorrectionRunId,
    IReadOnlyList<DisputeStep> Steps,
    long? UpheldAmountYuan = null);

/// <summary>Body of POST /api/provinces/{code}/notices/{noticeNumber}/disputes.</summary>
public sealed record DisputeBody(string Reason, IReadOnlyList<DisputedFigure>? Figures = null, string? Attachment = null);

/// <summary>Body of POST /api/disputes/{code}/{noticeNumber}/resolution: reject (with a reason) or uphold (with the corrected amount).</summary>
public sealed record ResolutionBody(string Decision, string Reason, long? AmountYuan = null);
