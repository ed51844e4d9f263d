namespace GrantFlow.Domain.Inputs;

/// <summary>One province's row of input data, with the 1-based line of the source file it came from.</summary>
public sealed record ProvinceRow(int Line, string Code, string NameEn, string NameZh, IReadOnlyDictionary<string, decimal> Values);

/// <summary>The province input data of a run: the columns present and one row per province.</summary>
public sealed record ProvinceTable(IReadOnlyList<string> Columns, IReadOnlyList<ProvinceRow> Rows);

/// <summary>The columns GrantFlow knows (those of the bundled example file).</summary>
public static class ProvinceColumns
{
    public const string Code = "province_code";
    public const string NameEn = "name_en";
    public const string NameZh = "name_zh";
    public const string FiscalTier = "fiscal_tier";
    public const string CentralShare = "central_share";
    public const string ResidentParticipants = "resident_participants";

    public static readonly IReadOnlyList<string> Text = [Code, NameEn, NameZh];

    public static readonly IReadOnlyList<string> Numeric =
    [
        FiscalTier,
        CentralShare,
        "population_2020",
        ResidentParticipants,
        "prior_year_participants",
        "prior_year_resident_subsidy_yuan",
        "assistance_recipients",
        "fiscal_difficulty_coefficient",
        "performance_score",
        "designated_institutions",
    ];

    public static bool IsNumeric(string column) => Numeric.Contains(column, StringComparer.Ordinal);

    public static bool IsKnown(string column) => IsNumeric(column) || Text.Contains(column, StringComparer.Ordinal);
}
