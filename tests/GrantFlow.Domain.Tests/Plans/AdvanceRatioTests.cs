using GrantFlow.Domain.Plans;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Tests.Plans;

public class AdvanceRatioTests
{
    [Theory]
    [InlineData("general", 1_000_000_001L, 900_000_001L)] // 900,000,000.9 rounds up: 900,000,000 is below 90%
    [InlineData("general", 1_000_000_000L, 900_000_000L)]
    [InlineData("special", 1_000_000_001L, 700_000_001L)] // 700,000,000.7
    [InlineData("special", 10L, 7L)]
    public void The_minimum_is_the_share_rounded_up_to_the_yuan(string kind, long expected, long minimum)
    {
        var ratio = AdvanceRatioRule.Assess(kind, expected, minimum);
        Assert.Equal(minimum, ratio.MinimumAdvanceYuan);
        Assert.True(ratio.MeetsMinimum);
        Assert.False(AdvanceRatioRule.Assess(kind, expected, minimum - 1).MeetsMinimum);
    }

    [Fact]
    public void A_share_just_below_the_minimum_never_reads_as_the_minimum()
    {
        var ratio = AdvanceRatioRule.Assess("general", 1_000_000_000, 899_999_999);
        Assert.Equal("89.99%", ratio.Percent); // 89.9999999% rounded down, not up to 90.00%
        Assert.Equal(8999, ratio.BasisPoints);
        Assert.False(ratio.MeetsMinimum);
        Assert.Equal(100_000_001, ratio.RemainingYuan);
    }

    [Fact]
    public void The_largest_amounts_do_not_overflow()
    {
        var ratio = AdvanceRatioRule.Assess("special", RunInputValidator.MaxAmountYuan, RunInputValidator.MaxAmountYuan - 1);
        Assert.Equal(70_000_000_000_000, ratio.MinimumAdvanceYuan);
        Assert.Equal("99.99%", ratio.Percent);
    }

    [Fact]
    public void The_2026_resident_insurance_advance_against_an_expected_year()
    {
        // the seeds' advance; the year's expected amount here is illustrative
        var ratio = AdvanceRatioRule.Assess("general", 417_000_000_000, 386_366_000_000);
        Assert.Equal("92.65%", ratio.Percent);
        Assert.True(ratio.MeetsMinimum);
        Assert.Equal(30_634_000_000, ratio.RemainingYuan);
    }

    [Fact]
    public void An_unknown_kind_has_no_minimum() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AdvanceRatioRule.MinimumPercent("block"));

    [Fact]
    public void An_advance_is_checked_against_its_plan()
    {
        var above = PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 101), null);
        Assert.Equal(ErrorCodes.AdvanceAboveExpected, Assert.Single(above).Code);
        Assert.Equal(ErrorCodes.AdvanceAboveExpected, Assert.Single(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 101), "an exception cannot allow this")).Code);

        var below = Assert.Single(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 89), null));
        Assert.Equal((ErrorCodes.AdvanceBelowMinimum, "envelopeYuan"), (below.Code, below.Field));
        Assert.Equal("89.00%", below.Args!["percent"]);
        Assert.Empty(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 89), "预算尚未批准，先行拨付一部分"));
        Assert.Equal(ErrorCodes.AdvanceBelowMinimum, Assert.Single(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 89), "   ")).Code); // a blank reason is none

        Assert.Equal(ErrorCodes.ExceptionWithoutNeed, Assert.Single(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("general", 100, 90), "not needed")).Code);
        Assert.Equal(ErrorCodes.TooLong, Assert.Single(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("special", 100, 60), new string('x', PlanRules.MaxReasonLength + 1))).Code);
        Assert.Empty(PlanRules.CheckAdvance(AdvanceRatioRule.Assess("special", 100, 70), null));
    }

    [Fact]
    public void A_remainder_tops_up_to_the_expected_amount_and_no_further()
    {
        var plan = Plan(1_000, version: 1);
        Assert.Empty(PlanRules.CheckRemainder(plan, releasedYuan: 900, remainderYuan: 100));
        var over = Assert.Single(PlanRules.CheckRemainder(plan, releasedYuan: 900, remainderYuan: 101));
        Assert.Equal((ErrorCodes.RemainderAboveExpected, "envelopeYuan", "100"), (over.Code, over.Field, over.Args!["room"]));
        Assert.Equal("0", Assert.Single(PlanRules.CheckRemainder(plan with { ExpectedYuan = 800 }, 900, 1)).Args!["room"]);
    }

    [Fact]
    public void A_plan_as_entered_is_checked_field_by_field()
    {
        var errors = PlanRules.Validate("no-such-program", 1999, "block", 0, null, isChange: false);
        Assert.Equal(["program", "fiscalYear", "transferKind", "expectedYuan"], errors.Select(e => e.Field));
        Assert.Equal(ErrorCodes.EnvelopeTooLarge, Assert.Single(PlanRules.Validate("service-capacity", 2026, "special", RunInputValidator.MaxAmountYuan + 1, null, false)).Code);
        Assert.Empty(PlanRules.Validate("service-capacity", 2026, "special", 4_000_000_000, null, isChange: false));
        var change = Assert.Single(PlanRules.Validate("service-capacity", 2026, "special", 4_000_000_000, " ", isChange: true));
        Assert.Equal(("reason", ErrorCodes.Required), (change.Field, change.Code));
    }

    [Fact]
    public void Plan_versions_form_a_chain_that_shows_any_edit()
    {
        var first = PlanChain.Next(null, Plan(1_000, 0));
        var second = PlanChain.Next(first, Plan(1_200, 0) with { Reason = "预算调整" });
        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Empty(PlanChain.Verify([first, second]));

        Assert.Contains("edited", Assert.Single(PlanChain.Verify([first, second with { ExpectedYuan = 1_100 }])));
        Assert.Contains(PlanChain.Verify([second]), p => p.Contains("version 1 was expected", StringComparison.Ordinal));
        Assert.NotEmpty(PlanChain.Verify([second, first]));
        var forgedLink = second with { PreviousHash = new string('0', 64) };
        Assert.Contains(PlanChain.Verify([first, forgedLink with { Hash = PlanChain.ComputeHash(forgedLink) }]), p => p.Contains("previous hash", StringComparison.Ordinal));
    }

    private static ProgramYearPlan Plan(long expected, int version) => new()
    {
        Program = "service-capacity",
        FiscalYear = 2026,
        TransferKind = "special",
        ExpectedYuan = expected,
        SetBy = "official.li",
        SetAt = new DateTimeOffset(2025, 11, 1, 8, 0, 0, TimeSpan.Zero),
        Version = version,
    };
}
