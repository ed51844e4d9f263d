namespace GrantFlow.Domain.Allocation;

/// <summary>
/// What a province keeps when it passes a notice down: floor(amount x share), whole yuan; the counties share the rest.
/// One rule for the server's pass-down plan and the console's what-if.
/// </summary>
public static class PassDownRetention
{
    /// <summary>The most a province may keep (10%).</summary>
    public const decimal MaxShare = 0.10m;

    public static bool IsValidShare(decimal share) => share is >= 0m and <= MaxShare;

    /// <summary>floor(amount x share) in whole yuan (exact decimal arithmetic; the share is at most 0.1).</summary>
    public static long Yuan(long noticeAmountYuan, decimal share)
    {
        if (noticeAmountYuan < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noticeAmountYuan), noticeAmountYuan, "a notice's amount is not negative.");
        }

        return IsValidShare(share)
            ? (long)decimal.Floor(noticeAmountYuan * share)
            : throw new ArgumentOutOfRangeException(nameof(share), share, $"a retention share is 0 to {MaxShare}.");
    }
}
