using System.Numerics;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Domain.Tests.Allocation;

public class GrantAllocatorTests
{
    [Fact]
    public void The_three_2026_programs_add_up_to_416_557_000_000_yuan()
    {
        var results = new[] { "resident-insurance", "medical-assistance", "service-capacity" }
            .Select(TestData.Bundled)
            .Select(input => GrantAllocator.Allocate(input.Parameters, input.Provinces))
            .ToList();

        Assert.Equal([386_366_000_000L, 26_686_000_000L, 3_505_000_000L], results.Select(r => r.Provinces.Sum(p => p.AmountYuan)));
        Assert.Equal(416_557_000_000L, results.Sum(r => r.TotalYuan));
        Assert.All(results, r => Assert.Equal(31, r.Provinces.Count));
    }

    [Fact]
    public void Per_capita_weight_is_participants_times_standard_times_central_share()
    {
        var table = TestData.PerCapitaTable(("11", 1_000, 0.1m, 0), ("65", 1_000, 0.8m, 0));

        var result = GrantAllocator.Allocate(TestData.PerCapita(90_000), table);

        Assert.Equal(70_000m, result.Provinces[0].Explanation.Weight);
        Assert.Equal(560_000m, result.Provinces[1].Explanation.Weight);
        Assert.Equal([10_000L, 80_000L], result.Provinces.Select(p => p.AmountYuan));
        Assert.Contains("1000 x 700 x 0.1", result.Provinces[0].Explanation.WeightComputation, StringComparison.Ordinal);
    }

    [Fact]
    public void Factor_weight_is_the_weighted_sum_of_normalised_columns()
    {
        // a: 1/4 and 3/4 of the column; b: 1/2 and 1/2. Weights 0.5/0.5: 0.375 and 0.625.
        var table = TestData.Csv(
            "province_code,name_en,name_zh,assistance_recipients,performance_score",
            "11,A,甲,100,50",
            "12,B,乙,300,50");

        var result = GrantAllocator.Allocate(TestData.Factor(8_000, ("assistance_recipients", 0.5m), ("performance_score", 0.5m)), table);

        Assert.Equal([0.375m, 0.625m], result.Provinces.Select(p => p.Explanation.Weight));
        Assert.Equal([3_000L, 5_000L], result.Provinces.Select(p => p.AmountYuan));
    }

    [Fact]
    public void Floor_is_the_ceiling_of_ratio_times_basis_and_binds_when_the_share_is_below_it()
    {
        // Entitlements 700,000 and 700,000; envelope 1,000,000 gives 500,000 each pro rata, but 11's floor is
        // ceiling(0.9 x 666,667) = 600,001, so 11 gets 600,001 and 12 the other 399,999.
        var table = TestData.PerCapitaTable(("11", 1_000, 1m, 666_667), ("12", 1_000, 1m, 0));
        var floor = new FloorParameters { Ratio = 0.9m, Basis = "prior_year_resident_subsidy_yuan" };

        var result = GrantAllocator.Allocate(TestData.PerCapita(1_000_000, floor: floor), table);

        var bound = result.Provinces[0];
        Assert.Equal(600_001, bound.Explanation.FloorYuan);
        Assert.True(bound.Explanation.FloorBound);
        Assert.Equal(600_001, bound.AmountYuan);
        Assert.Null(bound.Explanation.ShareOfPool);
        Assert.Equal(399_999, result.Provinces[1].AmountYuan);
        Assert.Equal(1, result.FloorBoundCount);
    }

    [Fact]
    public void Infeasible_floors_are_refused()
    {
        var table = TestData.PerCapitaTable(("11", 1_000, 1m, 1_000_000), ("12", 1_000, 1m, 1_000_000));
        var floor = new FloorParameters { Ratio = 0.9m, Basis = "prior_year_resident_subsidy_yuan" };

        var ex = Assert.Throws<InfeasibleFloorsException>(() => GrantAllocator.Allocate(TestData.PerCapita(1_000_000, floor: floor), table));

        Assert.Equal(1_800_000, ex.FloorTotalYuan);
    }

    [Fact]
    public void Provinces_come_out_in_code_order_whatever_the_file_order()
    {
        var table = TestData.PerCapitaTable(("65", 10, 0.8m, 0), ("11", 10, 0.1m, 0), ("44", 10, 0.3m, 0));

        var result = GrantAllocator.Allocate(TestData.PerCapita(1_200), table);

        Assert.Equal(["11", "44", "65"], result.Provinces.Select(p => p.Code));
    }

    [Fact]
    public void Every_explanation_recomputes_to_its_amount()
    {
        var input = TestData.Bundled("resident-insurance");
        var result = GrantAllocator.Allocate(input.Parameters, input.Provinces);

        foreach (var p in result.Provinces)
        {
            var e = p.Explanation;
            var parts = e.ExactShareFraction.Split('/');
            var whole = BigInteger.Divide(BigInteger.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), BigInteger.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((long)whole, e.RoundedDownYuan);
            Assert.Equal(p.AmountYuan, e.RoundedDownYuan + e.RoundingAdjustmentYuan);
            Assert.True(p.AmountYuan >= e.FloorYuan);
            Assert.Equal("per-capita/1", e.FormulaVersion);
            Assert.Equal(["resident_participants", "central_share", "prior_year_resident_subsidy_yuan"], e.Inputs.Keys);
            Assert.True(Math.Abs(e.ExactShareYuan - p.AmountYuan) < 1m);
        }

        // The pool's rounding hands out exactly the yuan the floors of the exact shares left over.
        var leftOver = result.EnvelopeYuan - result.Provinces.Sum(p => p.Explanation.RoundedDownYuan);
        Assert.Equal(leftOver, result.Provinces.Sum(p => p.Explanation.RoundingAdjustmentYuan));
    }

    [Fact]
    public void Amounts_in_ten_thousand_yuan_are_exact()
    {
        var p = new ProvinceAllocation
        {
            Code = "11",
            NameEn = "Beijing",
            NameZh = "北京",
            AmountYuan = 252_716_628,
            Explanation = GrantAllocator.Allocate(TestData.PerCapita(100), TestData.PerCapitaTable(("11", 1, 1m, 0))).Provinces[0].Explanation,
        };

        Assert.Equal(25_271.6628m, p.AmountWanYuan);
    }
}
