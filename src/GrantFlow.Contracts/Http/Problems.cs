namespace GrantFlow.Contracts;

/// <summary>RFC 9457 problem details, with GrantFlow's field/row errors.</summary>
/// <remarks><see cref="Token"/> (401 only): "missing", "expired" or "invalid".</remarks>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, IReadOnlyList<ProblemError>? Errors, int? TotalErrors = null, string? Token = null);

/// <summary>One input error: the field (JSON path or CSV column), the CSV row (file line) and the message.</summary>
public sealed record ProblemError(string Field, int? Row, string Message);
