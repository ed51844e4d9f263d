using System.Numerics;
using GrantFlow.Domain.Allocation;

namespace GrantFlow.Domain.Tests.Allocation;

public class EnvelopeSplitterTests
{
    private static AllocationClaim Claim(string code, long weight, long floor = 0) => new(code, new BigInteger(weight), floor);

    [Fact]
    public void Splits_pro_rata_when_the_shares_are_whole()
    {
        var split = EnvelopeSplitter.Split(1_000, [Claim("11", 1), Claim("12", 3)]);

        Assert.Equal([250L, 750L], split.Allocations.Select(a => a.AmountYuan));
        Assert.All(split.Allocations, a => Assert.Equal(0, a.RoundingAdjustmentYuan));
    }

    [Fact]
    public void Leftover_yuan_go_to_the_largest_fractional_parts()
    {
        // 100 x (1/6, 2/6, 3/6) = 16.67, 33.33, 50: floors 16 + 33 + 50 = 99, the 1 left goes to the .67.
        var split = EnvelopeSplitter.Split(100, [Claim("11", 1), Claim("12", 2), Claim("13", 3)]);

        Assert.Equal([17L, 33L, 50L], split.Allocations.Select(a => a.AmountYuan));
        Assert.Equal([1L, 0L, 0L], split.Allocations.Select(a => a.RoundingAdjustmentYuan));
        Assert.Equal(1, split.Allocations[0].RemainderRank);
    }

    [Fact]
    public void Ties_in_the_remainder_go_to_the_lower_province_code_first()
    {
        // 10 / 3 each: 3.33 three times, one yuan left, identical remainders: the lowest code gets it.
        var split = EnvelopeSplitter.Split(10, [Claim("13", 1), Claim("11", 1), Claim("12", 1)]);

        var byCode = split.Allocations.ToDictionary(a => a.Code, a => a.AmountYuan);
        Assert.Equal(4, byCode["11"]);
        Assert.Equal(3, byCode["12"]);
        Assert.Equal(3, byCode["13"]);
    }

    [Fact]
    public void Ties_use_ordinal_code_order_for_two_yuan_left()
    {
        var split = EnvelopeSplitter.Split(11, [Claim("44", 1), Claim("32", 1), Claim("65", 1)]);

        var byCode = split.Allocations.ToDictionary(a => a.Code, a => a.AmountYuan);
        Assert.Equal(4, byCode["32"]);
        Assert.Equal(4, byCode["44"]);
        Assert.Equal(3, byCode["65"]);
    }

    [Fact]
    public void A_binding_floor_is_met_first_and_the_rest_is_shared_by_formula()
    {
        // Pro rata 1000 x 1/10 = 100 for "11", but its floor is 400: it gets 400, the others share 600 as 3:6.
        var split = EnvelopeSplitter.Split(1_000, [Claim("11", 1, floor: 400), Claim("12", 3), Claim("13", 6)]);

        Assert.Equal([400L, 200L, 400L], split.Allocations.Select(a => a.AmountYuan));
        Assert.True(split.Allocations[0].FloorBound);
        Assert.False(split.Allocations[1].FloorBound);
        Assert.Equal(600, split.PoolYuan);
    }

    [Fact]
    public void Floors_cascade_when_binding_one_pushes_another_below_its_floor()
    {
        // First pass: 1000 x (1,2,7)/10 = 100, 200, 700: "11" (floor 300) binds. Pool 700 over weights 2 and 7 gives
        // "12" 155.6 < its floor 180, so it binds in the second pass; "13" gets the remaining 520.
        var split = EnvelopeSplitter.Split(1_000, [Claim("11", 1, floor: 300), Claim("12", 2, floor: 180), Claim("13", 7)]);

        Assert.Equal([300L, 180L, 520L], split.Allocations.Select(a => a.AmountYuan));
        Assert.True(split.Allocations[1].FloorBound);
        Assert.Equal(3, split.Iterations);
    }

    [Fact]
    public void A_floor_that_does_not_bind_leaves_the_pro_rata_share()
    {
        var split = EnvelopeSplitter.Split(1_000, [Claim("11", 1, floor: 99), Claim("12", 9, floor: 10)]);

        Assert.Equal([100L, 900L], split.Allocations.Select(a => a.AmountYuan));
        Assert.DoesNotContain(split.Allocations, a => a.FloorBound);
    }

    [Fact]
    public void Floors_equal_to_the_envelope_are_feasible()
    {
        var split = EnvelopeSplitter.Split(500, [Claim("11", 1, floor: 200), Claim("12", 1, floor: 300)]);

        Assert.Equal([200L, 300L], split.Allocations.Select(a => a.AmountYuan));
    }

    [Fact]
    public void Floors_above_the_envelope_are_refused_naming_both_totals()
    {
        var ex = Assert.Throws<InfeasibleFloorsException>(() =>
            EnvelopeSplitter.Split(1_000, [Claim("11", 1, floor: 600), Claim("12", 1, floor: 500)]));

        Assert.Equal(1_000, ex.EnvelopeYuan);
        Assert.Equal(1_100, ex.FloorTotalYuan);
        Assert.Contains("1,100", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_weight_gets_its_floor_or_nothing()
    {
        var split = EnvelopeSplitter.Split(1_000, [Claim("11", 0, floor: 50), Claim("12", 0), Claim("13", 5)]);

        Assert.Equal([50L, 0L, 950L], split.Allocations.Select(a => a.AmountYuan));
    }

    [Fact]
    public void The_exact_share_is_reported_as_a_fraction()
    {
        var split = EnvelopeSplitter.Split(100, [Claim("11", 1), Claim("12", 2)]);

        Assert.Equal(new BigInteger(100), split.Allocations[0].ExactShareNumerator);
        Assert.Equal(new BigInteger(3), split.Allocations[0].ExactShareDenominator);
        Assert.Equal(33, split.Allocations[0].RoundedDownYuan);
    }
}
