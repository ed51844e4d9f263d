using System.Text.Json;

namespace GrantFlow.Contracts;

/// <summary>Body of POST /api/runs and /api/settlements: the run-parameters document and the province CSV text.</summary>
/// <remarks>
/// <see cref="Release"/>: "advance" (the default) or "remainder" (the rest of the year's grant, after its advance).
/// <see cref="AdvanceException"/>: why an advance goes below the advance-ratio minimum (the approvers approve it with the run).
/// <see cref="ProvincesXlsx"/>: the province data as an Excel workbook (.xlsx, base64) instead of <see cref="ProvincesCsv"/>;
/// its first sheet is read, and errors name the sheet, the row and the column.
/// </remarks>
public sealed record StartRunBody(JsonElement Parameters, string? ProvincesCsv = null, TimeSpan? ApprovalTimeout = null, string? Release = null, string? AdvanceException = null, string? ProvincesXlsx = null);

/// <summary>Body of POST /api/runs/{runId}/decisions.</summary>
public sealed record DecisionBody(string Stage, string Decision, string? Reason = null);

/// <summary>
/// Body of POST /api/provinces/{code}/pass-downs and /api/prefectures/{code}/pass-downs: the notice passed down, the
/// run parameters, and the recipients' data: <see cref="CountiesCsv"/> (6-digit codes under the payer) or, for a
/// province passing down through its cities, <see cref="PrefecturesCsv"/> (4-digit codes under the province) - one of the two.
/// </summary>
public sealed record PassDownBody(string NoticeNumber, JsonElement Parameters, string? CountiesCsv = null, decimal? RetentionShare = null, TimeSpan? ApprovalTimeout = null, string? PrefecturesCsv = null);

/// <summary>
/// Body of POST /api/corrections: one province's advance in a completed run, the amount it should have been and why.
/// Approved like a run, it writes a reversal of the original entry and a replacement entry, both naming the entry and the reason.
/// </summary>
public sealed record CorrectionRequest(string CorrectsRunId, string ProvinceCode, long AmountYuan, string Reason);

/// <summary>The words of a decision: an approver's on a run stage (approve or reject), a finance officer's on a dispute (uphold or reject).</summary>
public static class DecisionWords
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Uphold = "uphold";
}
