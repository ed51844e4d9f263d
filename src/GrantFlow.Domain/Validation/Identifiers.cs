using System.Text.RegularExpressions;

namespace GrantFlow.Domain.Validation;

/// <summary>
/// The shapes of the identifiers callers send (run ids, notice numbers). Anything else is refused before it reaches
/// a storage key, a blob name or a query filter.
/// </summary>
public static partial class Identifiers
{
    /// <summary>A run id: 32 lowercase hexadecimal digits (a GUID without dashes), as GrantFlow issues them.</summary>
    public static bool IsRunId(string? text) => text is { Length: 32 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>A notice number: GF-{year}-{program}-{recipient code}-{8 hex digits of the run id}.</summary>
    public static bool IsNoticeNumber(string? text) => text is { Length: <= 80 } && NoticeNumberPattern().IsMatch(text);

    /// <summary>Error text that quotes at most 40 characters of what the caller sent.</summary>
    public static string Quote(string? text) => text is null ? "null" : text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}...' ({text.Length} characters)";

    [GeneratedRegex("^GF-[0-9]{4}-[a-z][a-z-]{0,40}-[0-9]{2,6}-[0-9a-f]{8}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex NoticeNumberPattern();
}
