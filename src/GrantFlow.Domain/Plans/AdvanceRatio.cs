using System.Globalization;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Plans;

/// <summary>
/// The advance-ratio rule (Budget Law implementing regulations, art. 50): a year's advance release is at least 90% of
/// the year's expected amount for a general transfer and at least 70% for a special transfer; the remainder follows
/// once the budget is approved and tops up to the expected amount, no further.
/// </summary>
public static class AdvanceRatioRule
{
    public const int GeneralMinimumPercent = 90;
    public const int SpecialMinimumPercent = 70;

    /// <summary>The kinds of transfer: general (一般性转移支付) and special (专项转移支付).</summary>
    public static readonly IReadOnlyList<string> TransferKinds = [IllustrativePrograms.General, IllustrativePrograms.Special];

    /// <summary>The least share of the expected amount an advance of this kind releases, in percent.</summary>
    public static int MinimumPercent(string transferKind) => transferKind switch
    {
        IllustrativePrograms.General => GeneralMinimumPercent,
        IllustrativePrograms.Special => SpecialMinimumPercent,
        _ => throw new ArgumentOutOfRangeException(nameof(transferKind), transferKind, "a transfer is general or special."),
    };

    /// <summary>An advance of <paramref name="advanceYuan"/> against the year's <paramref name="expectedYuan"/>.</summary>
    public static AdvanceRatio Assess(string transferKind, long expectedYuan, long advanceYuan)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expectedYuan);
        ArgumentOutOfRangeException.ThrowIfNegative(advanceYuan);
        var percent = MinimumPercent(transferKind);

        // ceiling(expected x percent / 100) in 128 bits: the least whole yuan that is not below the share.
        var minimum = (long)(((Int128)expectedYuan * percent + 99) / 100);
        return new AdvanceRatio(transferKind, expectedYuan, advanceYuan, percent, minimum);
    }
}

/// <summary>An advance beside the year's expected amount.</summary>
/// <param name="MinimumAdvanceYuan">The least advance the rule allows: ceiling(expected x minimum percent / 100).</param>
public sealed record AdvanceRatio(string TransferKind, long ExpectedYuan, long AdvanceYuan, int MinimumPercent, long MinimumAdvanceYuan)
{
    /// <summary>Whether the advance is at least the rule's share of the expected amount.</summary>
    public bool MeetsMinimum => AdvanceYuan >= MinimumAdvanceYuan;

    /// <summary>Whether the advance is more than the whole year's expected amount (never allowed).</summary>
    public bool ExceedsExpected => AdvanceYuan > ExpectedYuan;

    /// <summary>The advance as a share of the expected amount in hundredths of a percent, rounded down (9231 = 92.31%).</summary>
    public long BasisPoints => (long)((Int128)AdvanceYuan * 10_000 / ExpectedYuan);

    /// <summary>The share as people read it, rounded down to hundredths: "92.31%" (never rounded up to the minimum).</summary>
    public string Percent => (BasisPoints / 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>What is left of the expected amount after the advance (what a remainder release may top up).</summary>
    public long RemainingYuan => ExpectedYuan - AdvanceYuan;
}
