using System.Globalization;

namespace GrantFlow.Console.Services;

/// <summary>Amounts as officials read them: whole 元 and 万元 (4 places), thousands separators, exact (no doubles).</summary>
public static class Money
{
    public static string Yuan(long yuan) => yuan.ToString("N0", CultureInfo.InvariantCulture);

    public static string Yuan(long? yuan) => yuan is { } y ? Yuan(y) : "—";

    /// <summary>万元 to 4 places, exact: 1 元 = 0.0001 万元.</summary>
    public static string WanYuan(long yuan) => (yuan / 10_000m).ToString("N4", CultureInfo.InvariantCulture);

    /// <summary>
    /// An amount in the unit people say it in: 4,000 亿元, 1,234.5678 万元 (Chinese), or 400 bn yuan, 12.3457 m yuan
    /// (English), exact to the yuan; small amounts in 元.
    /// </summary>
    public static string Reading(long yuan, bool chinese)
    {
        var magnitude = Math.Abs((decimal)yuan);
        var (unit, divisor) = chinese
            ? magnitude >= 100_000_000m ? ("亿元", 100_000_000m) : magnitude >= 10_000m ? ("万元", 10_000m) : ("元", 1m)
            : magnitude >= 1_000_000_000m ? ("bn yuan", 1_000_000_000m) : magnitude >= 1_000_000m ? ("m yuan", 1_000_000m) : ("yuan", 1m);
        return (yuan / divisor).ToString("#,##0.########", CultureInfo.InvariantCulture) + " " + unit;
    }

    public static string WithSign(long yuan) => (yuan > 0 ? "+" : string.Empty) + Yuan(yuan);

    public static string Percent(decimal? ratio) => ratio is { } r ? (r > 0 ? "+" : string.Empty) + (r * 100m).ToString("N2", CultureInfo.InvariantCulture) + "%" : "—";
}
