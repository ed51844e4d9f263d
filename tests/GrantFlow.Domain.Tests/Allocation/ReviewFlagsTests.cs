using GrantFlow.Domain.Allocation;

namespace GrantFlow.Domain.Tests.Allocation;

public class ReviewFlagsTests
{
    private static readonly Dictionary<string, long> Prior = new(StringComparer.Ordinal)
    {
        ["11"] = 1_000_000, ["12"] = 2_000_000, ["13"] = 3_000_000, ["14"] = 4_000_000, ["15"] = 5_000_000, ["21"] = 6_000_000,
    };

    [Fact]
    public void A_change_beyond_the_threshold_either_way_is_flagged_and_one_within_is_not()
    {
        var lines = ReviewFlags.Compute([("11", 1_100_001, false), ("12", 1_790_000, false), ("13", 3_000_000, false)], Prior, 0.10m);
        Assert.Equal(ReviewConcerns.ChangeBeyondThreshold, lines[0].Flags & ReviewConcerns.ChangeBeyondThreshold);
        Assert.Equal(ReviewConcerns.ChangeBeyondThreshold, lines[1].Flags & ReviewConcerns.ChangeBeyondThreshold);
        Assert.Equal(ReviewConcerns.None, lines[2].Flags);
        Assert.Equal(100_001, lines[0].ChangeYuan);
        Assert.Equal(-210_000, lines[1].ChangeYuan);
    }

    [Fact]
    public void Exactly_at_the_threshold_is_not_beyond_it()
    {
        var line = Assert.Single(ReviewFlags.Compute([("11", 1_100_000, false)], Prior, 0.10m));
        Assert.Equal(ReviewConcerns.None, line.Flags);
    }

    [Fact]
    public void A_binding_floor_is_flagged_and_a_recipient_without_a_prior_year_has_no_change()
    {
        var lines = ReviewFlags.Compute([("11", 1_000_000, true), ("99", 5, false)], Prior);
        Assert.True(lines[0].Flags.HasFlag(ReviewConcerns.FloorBinds));
        Assert.Null(lines[1].ChangeYuan);
        Assert.Null(lines[1].ChangeRatio);
    }

    [Fact]
    public void An_outlier_is_the_one_far_from_the_others_and_equal_changes_to_within_rounding_have_none()
    {
        var even = ReviewFlags.Compute([.. Prior.Select(p => (p.Key, p.Value * 1129 / 1000 + (p.Key == "13" ? 1 : 0), false))], Prior, 0.5m);
        Assert.All(even, l => Assert.Equal(ReviewConcerns.None, l.Flags));

        var skewed = ReviewFlags.Compute([.. Prior.Select(p => (p.Key, p.Key == "14" ? p.Value * 3 : p.Value * (100 + p.Value / 1_000_000) / 100, false))], Prior, 5m);
        Assert.Equal(["14"], skewed.Where(l => l.Flags.HasFlag(ReviewConcerns.Outlier)).Select(l => l.Code));
    }

    [Fact]
    public void Without_prior_years_the_outlier_is_taken_on_the_amounts()
    {
        var lines = ReviewFlags.Compute([("11", 100, false), ("12", 110, false), ("13", 95, false), ("14", 105, false), ("15", 1_000_000, false)], new Dictionary<string, long>());
        Assert.Equal(["15"], lines.Where(l => l.Flags.HasFlag(ReviewConcerns.Outlier)).Select(l => l.Code));
    }

    [Fact]
    public void A_negative_threshold_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReviewFlags.Compute([], Prior, -0.1m));
    }
}

public class PassDownRetentionTests
{
    [Theory]
    [InlineData(1_000_000_007, "0.05", 50_000_000)]
    [InlineData(1_000_000_007, "0", 0)]
    [InlineData(1_000_000_007, "0.1", 100_000_000)]
    [InlineData(9, "0.1", 0)]
    [InlineData(long.MaxValue, "0.1", 922_337_203_685_477_580)]
    public void The_province_keeps_the_floor_of_amount_times_share(long amount, string share, long kept) =>
        Assert.Equal(kept, PassDownRetention.Yuan(amount, decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("-0.01")]
    [InlineData("0.10000001")]
    public void A_share_outside_zero_to_ten_percent_is_refused(string share)
    {
        var value = decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(PassDownRetention.IsValidShare(value));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassDownRetention.Yuan(1_000, value));
    }
}
