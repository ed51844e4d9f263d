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

    private static readonly Dictionary<string, (string Zh, string En)> Names = new(StringComparer.Ordinal)
    {
        [Code] = ("行政区划代码", "division code"),
        [NameEn] = ("英文名称", "English name"),
        [NameZh] = ("中文名称", "Chinese name"),
        [FiscalTier] = ("财力档次", "fiscal tier"),
        [CentralShare] = ("中央分担比例", "central share"),
        ["population_2020"] = ("2020 年常住人口", "population (2020)"),
        [ResidentParticipants] = ("城乡居民参保人数", "resident participants"),
        ["prior_year_participants"] = ("上年参保人数", "prior-year participants"),
        ["prior_year_resident_subsidy_yuan"] = ("上年居民医保补助（元）", "prior-year resident subsidy (yuan)"),
        ["assistance_recipients"] = ("医疗救助人数", "assistance recipients"),
        ["fiscal_difficulty_coefficient"] = ("财政困难系数", "fiscal difficulty coefficient"),
        ["performance_score"] = ("绩效评价得分", "performance score"),
        ["designated_institutions"] = ("定点医疗机构数", "designated institutions"),
    };

    /// <summary>A column as people read it (城乡居民参保人数), or the column itself when GrantFlow does not know it.</summary>
    public static string Label(string column, bool chinese) =>
        Names.TryGetValue(column, out var name) ? (chinese ? name.Zh : name.En) : column;

    public static bool IsNumeric(string column) => Numeric.Contains(column, StringComparer.Ordinal);

    public static bool IsKnown(string column) => IsNumeric(column) || Text.Contains(column, StringComparer.Ordinal);
}
