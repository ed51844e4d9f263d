namespace GrantFlow.Cli;

/// <summary>The example data shipped with the command (a copy of the 2026 advance release inputs).</summary>
public static class BundledData
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "data");

    public static string ProvincesCsv => Path.Combine(Directory, "provinces-2026.csv");

    /// <summary>The illustrative county data set (grantflow data counties regenerates it).</summary>
    public static string CountiesCsv => Path.Combine(Directory, "counties-2026.csv");

    /// <summary>The illustrative prefecture data set, derived from the counties (grantflow data prefectures regenerates it).</summary>
    public static string PrefecturesCsv => Path.Combine(Directory, "prefectures-2026.csv");

    /// <summary>The run parameters of the three 2026 programs, in the order of the notices.</summary>
    public static IReadOnlyList<string> RunParameterFiles =>
    [
        Path.Combine(Directory, "runs", "resident-insurance-2026.json"),
        Path.Combine(Directory, "runs", "medical-assistance-2026.json"),
        Path.Combine(Directory, "runs", "service-capacity-2026.json"),
    ];
}
