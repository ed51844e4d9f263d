namespace GrantFlow.Domain.Allocation;

/// <summary>Why a reviewer should look twice at one recipient's amount.</summary>
[Flags]
public enum ReviewConcerns
{
    None = 0,

    /// <summary>The change against the prior year is beyond the threshold (either way).</summary>
    ChangeBeyondThreshold = 1,

    /// <summary>The recipient's floor binds: it gets its floor, not its formula share.</summary>
    FloorBinds = 2,

    /// <summary>Far from the others (modified z-score of the change, or of the amount when no prior year is known).</summary>
    Outlier = 4,
}

/// <summary>One recipient's amount beside its prior-year amount, with the flags a reviewer sees.</summary>
public sealed record ReviewLine(string Code, long AmountYuan, long? PriorYearYuan, bool FloorBound, ReviewConcerns Flags)
{
    /// <summary>Amount minus prior year, in yuan (null without a prior year).</summary>
    public long? ChangeYuan => PriorYearYuan is { } prior ? AmountYuan - prior : null;

    /// <summary>The change as a fraction of the prior year (null without a prior year or when it was 0).</summary>
    public decimal? ChangeRatio => PriorYearYuan is { } prior and not 0 ? (decimal)(AmountYuan - prior) / prior : null;
}

/// <summary>
/// The flags of an allocation: change beyond a threshold against the prior year, a binding floor, an outlier. An
/// outlier has a modified z-score (Iglewicz and Hoaglin: 0.6745 x (x - median) / MAD) above 3.5, taken over the
/// recipients' change ratios when prior-year amounts are known, otherwise over the logarithm of their amounts.
/// </summary>
public static class ReviewFlags
{
    public const decimal DefaultChangeThreshold = 0.10m;
    public const double OutlierScore = 3.5;

    public static IReadOnlyList<ReviewLine> Compute(
        IReadOnlyList<(string Code, long AmountYuan, bool FloorBound)> amounts,
        IReadOnlyDictionary<string, long> priorYear,
        decimal changeThreshold = DefaultChangeThreshold)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        ArgumentNullException.ThrowIfNull(priorYear);
        if (changeThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(changeThreshold), changeThreshold, "a threshold is not negative.");
        }

        var lines = amounts.Select(a => new ReviewLine(a.Code, a.AmountYuan, priorYear.TryGetValue(a.Code, out var p) ? p : null, a.FloorBound, ReviewConcerns.None)).ToList();
        var withChange = lines.Where(l => l.ChangeRatio is not null).ToList();
        var outliers = withChange.Count >= 3
            ? Outliers([.. withChange.Select(l => (l.Code, (double)l.ChangeRatio!.Value))], MinimumChangeSpread)
            : Outliers([.. lines.Where(l => l.AmountYuan > 0).Select(l => (l.Code, Math.Log(l.AmountYuan)))], MinimumLogSpread);
        return
        [
            .. lines.Select(l => l with
            {
                Flags = (l.ChangeRatio is { } r && Math.Abs(r) > changeThreshold ? ReviewConcerns.ChangeBeyondThreshold : ReviewConcerns.None)
                    | (l.FloorBound ? ReviewConcerns.FloorBinds : ReviewConcerns.None)
                    | (outliers.Contains(l.Code) ? ReviewConcerns.Outlier : ReviewConcerns.None),
            }),
        ];
    }

    /// <summary>
    /// The least spread (MAD) the scores are taken against: when every province changes by the same +11.29% to within
    /// rounding, a difference in the fifth decimal is no outlier. One percentage point of change; 5% of an amount.
    /// </summary>
    private const double MinimumChangeSpread = 0.01, MinimumLogSpread = 0.05;

    private static HashSet<string> Outliers(List<(string Code, double Value)> values, double minimumSpread)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (values.Count < 3)
        {
            return found;
        }

        var median = Median(values.Select(v => v.Value));
        var mad = Math.Max(minimumSpread, Median(values.Select(v => Math.Abs(v.Value - median))));

        foreach (var (code, value) in values)
        {
            if (Math.Abs(0.6745 * (value - median) / mad) > OutlierScore)
            {
                found.Add(code);
            }
        }

        return found;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
