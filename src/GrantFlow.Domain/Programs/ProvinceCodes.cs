namespace GrantFlow.Domain.Programs;

/// <summary>The provincial-level divisions of GB/T 2260 that receive central grants.</summary>
public static class ProvinceCodes
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
    };

    public static IReadOnlyCollection<string> All => Known;

    public static bool IsKnown(string code) => Known.Contains(code);

    /// <summary>
    /// A recipient of an allocation: a province (2 digits), a prefecture-level division (4 digits) or a county-level
    /// division (6 digits, GB/T 2260) of a known province, for provinces and prefectures that pass their grant down
    /// with the same engine.
    /// </summary>
    public static bool IsRecipient(string code) => IsKnown(code) || IsPrefecture(code) || IsCounty(code);

    /// <summary>
    /// A prefecture-level division (地级市、地区、自治州、盟): the first four digits of GB/T 2260, PPCC, under a known
    /// province, CC not 00 (the province itself).
    /// </summary>
    public static bool IsPrefecture(string? code) =>
        code is { Length: 4 } && code.All(char.IsAsciiDigit) && IsKnown(code[..2]) && code[2..] != "00";

    /// <summary>A county-level division: six GB/T 2260 digits PPCCDD under a known province, not the province's own 0000.</summary>
    public static bool IsCounty(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit) && IsKnown(code[..2]) && code[2..] != "0000";

    /// <summary>
    /// Whether <paramref name="payer"/> may pass money down to <paramref name="recipient"/>: a province to its own
    /// prefectures or counties, a prefecture to its own counties (the recipient's code starts with the payer's).
    /// </summary>
    public static bool IsBelow(string recipient, string payer) =>
        (IsKnown(payer) || IsPrefecture(payer)) && (IsPrefecture(recipient) || IsCounty(recipient)) && recipient.Length > payer.Length && recipient.StartsWith(payer, StringComparison.Ordinal);
}
