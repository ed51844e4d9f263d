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
    /// A recipient of an allocation: a province (2 digits), or a county-level division (6 digits, GB/T 2260) of a
    /// known province, for provinces that pass their grant down with the same engine.
    /// </summary>
    public static bool IsRecipient(string code) =>
        IsKnown(code) || (code.Length == 6 && code.All(char.IsAsciiDigit) && IsKnown(code[..2]) && code[2..] != "0000");
}
