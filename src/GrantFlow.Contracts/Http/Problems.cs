namespace GrantFlow.Contracts;

/// <summary>
/// RFC 9457 problem details, with GrantFlow's field/row errors. <see cref="Code"/> is stable
/// (<see cref="ProblemCodes"/>) and <see cref="Args"/> holds what a client needs to say the problem in its user's
/// language (province, year, run, notice, limit...); <see cref="Detail"/> says it in English.
/// </summary>
/// <remarks><see cref="Token"/> (401 only): "missing", "expired" or "invalid".</remarks>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, IReadOnlyList<ProblemError>? Errors, int? TotalErrors = null, string? Token = null)
{
    public string? Code { get; init; }

    public IReadOnlyDictionary<string, string>? Args { get; init; }
}

/// <summary>
/// One input error: the field (JSON path or CSV column), the CSV row (file line), the English message, and its stable
/// code (<c>GrantFlow.Domain.Validation.ErrorCodes</c>) with arguments.
/// </summary>
/// <remarks>For a workbook (.xlsx), <see cref="Sheet"/> and <see cref="Column"/> (a letter) say where the cell is; <see cref="Row"/> is the sheet's row.</remarks>
public sealed record ProblemError(string Field, int? Row, string Message, string? Code = null, IReadOnlyDictionary<string, string>? Args = null)
{
    public string? Sheet { get; init; }

    public string? Column { get; init; }
}

/// <summary>The stable codes of problems (<see cref="ProblemBody.Code"/>); a code never changes meaning.</summary>
public static class ProblemCodes
{
    public const string InvalidInput = "invalid-input"; // count; the errors say which
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden"; // roles?
    public const string NoRole = "forbidden.no-role";
    public const string SegregationOfDuties = "forbidden.segregation-of-duties";
    public const string NotFound = "not-found";
    public const string RunNotFound = "not-found.run"; // run
    public const string NoticeNotFound = "not-found.notice"; // recipient, notice
    public const string DisputeNotFound = "not-found.dispute"; // province, notice
    public const string Conflict = "conflict";
    public const string AlreadyReleased = "conflict.already-released"; // program, year, kind, run
    public const string NoAdvance = "conflict.no-advance"; // program, year
    public const string YearSettled = "conflict.year-settled"; // program, year, run
    public const string CorrectionOpen = "conflict.correction-open"; // program, year, run
    public const string EntryCorrected = "conflict.entry-corrected"; // province, run, holder
    public const string NotCorrectable = "conflict.not-correctable"; // run, kind, status
    public const string PassedDownAlready = "conflict.passed-down"; // notice, run
    public const string NotAcknowledged = "conflict.not-acknowledged"; // notice
    public const string NotReleased = "conflict.not-released"; // runId
    public const string UnderDispute = "conflict.under-dispute"; // notice
    public const string NotPassedDownKind = "conflict.not-passed-down-kind"; // notice, kind
    public const string DisputedAlready = "conflict.disputed-already"; // notice
    public const string DisputeWindowClosed = "conflict.dispute-window-closed"; // notice
    public const string DisputeAnswered = "conflict.dispute-answered"; // notice, status
    public const string NotAwaitingDecision = "conflict.not-awaiting"; // stage, status
    public const string LedgerNotIntact = "conflict.ledger-not-intact";
    public const string PlanChanged = "conflict.plan-changed"; // program, year, version
    public const string PlanBelowReleased = "conflict.plan-below-released"; // program, year, expected, released
    public const string BodyTooLarge = "body.too-large"; // limit
    public const string UnsupportedMediaType = "body.media-type";
    public const string InfeasibleFloors = "unprocessable.floors";
    public const string StorageUnavailable = "storage.unavailable"; // retryAfter
    public const string Internal = "internal";

    /// <summary>The code of a problem that names no more precise one: by its status.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidInput,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        413 => BodyTooLarge,
        415 => UnsupportedMediaType,
        422 => InfeasibleFloors,
        503 => StorageUnavailable,
        _ => Internal,
    };
}
