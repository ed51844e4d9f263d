using System.Globalization;

namespace GrantFlow.Console.Services;

/// <summary>Amounts as officials read them: whole 元 and 万元 (4 places), thousands separators, exact (no doubles).</summary>
public static class Money
{
    public static string Yuan(long yuan) => yuan.ToString("N0", CultureInfo.InvariantCulture);

    public static string Yuan(long? yuan) => yuan is { } y ? Yuan(y) : "—";

    /// <summary>万元 to 4 places, exact: 1 元 = 0.0001 万元.</summary>
    public static string WanYuan(long yuan) => (yuan / 10_000m).ToString("N4", CultureInfo.InvariantCulture);

    public static string WithSign(long yuan) => (yuan > 0 ? "+" : string.Empty) + Yuan(yuan);

    public static string Percent(decimal? ratio) => ratio is { } r ? (r > 0 ? "+" : string.Empty) + (r * 100m).ToString("N2", CultureInfo.InvariantCulture) + "%" : "—";
}
