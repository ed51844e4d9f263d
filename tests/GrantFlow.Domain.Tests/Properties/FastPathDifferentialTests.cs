using System.Globalization;
using System.Numerics;
using CsCheck;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Arithmetic;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Domain.Tests.Properties;

/// <summary>
/// The 128-bit fast path against the BigInteger path on generated inputs: the same amounts, floors, ranks and exact
/// shares to the yuan, and the same explanations, including at the overflow boundary (weights' sum near 2^63, where
/// the engine switches paths) and with floors that bind over several water-filling passes.
/// </summary>
public class FastPathDifferentialTests
{
    private static IEnumerable<(string, long, long, bool, long, long, int, BigInteger, BigInteger)> Figures(EnvelopeSplit split) =>
        split.Allocations.Select(a => (a.Code, a.AmountYuan, a.FloorYuan, a.FloorBound, a.RoundedDownYuan, a.RoundingAdjustmentYuan, a.RemainderRank, a.ExactShareNumerator, a.ExactShareDenominator));

    private static bool Same(long envelope, AllocationClaim[] claims) =>
        Figures(EnvelopeSplitter.Split(envelope, claims)).SequenceEqual(Figures(EnvelopeSplitter.SplitWithBigIntegers(envelope, claims)));

    /// <summary>Weights up to 2^63 / count (so the sum stays near or below 2^63), floors up to the envelope.</summary>
    private static readonly Gen<(long Envelope, AllocationClaim[] Claims)> NearTheBoundary =
        Gen.Int[1, 30].SelectMany(count =>
            Gen.Select(Gen.Long[0, long.MaxValue / count], Gen.Long[0, long.MaxValue / 64 / count], Gen.Int[0, 3])
                .Array[count]
                .SelectMany(raw =>
                {
                    var claims = raw.Select((r, i) => new AllocationClaim(string.Create(CultureInfo.InvariantCulture, $"{11 + ((i * 7) % 80):D2}{i:D4}"), new BigInteger(r.Item1), r.Item3 == 0 ? r.Item2 : 0)).ToArray();
                    if (claims.All(c => c.Weight.IsZero))
                    {
                        claims[0] = claims[0] with { Weight = BigInteger.One };
                    }

                    var floors = claims.Sum(c => c.FloorYuan);
                    return Gen.Long[Math.Max(1, floors), long.MaxValue / 2].Select(envelope => (envelope, claims));
                }));

    [Fact]
    public void The_split_is_the_same_in_128_bits_and_in_BigInteger_near_the_overflow_boundary() =>
        NearTheBoundary.Sample(c => Same(c.Envelope, c.Claims), iter: 2_000);

    [Fact]
    public void Ties_in_the_remainders_are_broken_the_same_way_on_both_paths() =>
        Gen.Select(Gen.Long[1, 4], Gen.Int[0, 99]).Array[2, 40]
            .Sample(
                raw =>
                {
                    // Few distinct weights, codes in no particular order: many equal remainders, ordered by code.
                    var claims = raw.Select((r, i) => new AllocationClaim(string.Create(CultureInfo.InvariantCulture, $"{r.Item2:D2}{i:D3}"), r.Item1, 0)).ToArray();
                    return Same(claims.Length * 7 + 3, claims);
                },
                iter: 1_000);

    [Fact]
    public void Floors_that_bind_over_several_passes_give_the_same_split() =>
        Gen.Int[3, 60].SelectMany(count => Gen.Long[1, 1_000_000].Array[count].Select(weights => weights))
            .Sample(
                weights =>
                {
                    // Floors just above each claim's share at successively lower rates: binding one cascades to the next.
                    var total = weights.Sum();
                    var envelope = total * 10;
                    var claims = weights.Select((w, i) => new AllocationClaim(string.Create(CultureInfo.InvariantCulture, $"C{i:D3}"), w, i % 3 == 0 ? (w * 10) + (w * (i + 1) / 7) : 0)).ToArray();
                    return claims.Sum(c => c.FloorYuan) > envelope || Same(envelope, claims);
                },
                iter: 1_000);

    [Fact]
    public void The_engine_switches_to_BigInteger_when_the_weights_sum_passes_2_to_the_63()
    {
        var below = new[] { new AllocationClaim("11", long.MaxValue - 10, 0), new AllocationClaim("12", 10, 5) };
        var above = new[] { new AllocationClaim("11", long.MaxValue - 10, 0), new AllocationClaim("12", 11, 5) };

        Assert.NotNull(EnvelopeSplitter.Split(1_000_000_007, below).Allocations[0].SmallExactShare);
        Assert.Null(EnvelopeSplitter.Split(1_000_000_007, above).Allocations[0].SmallExactShare);
        Assert.True(Same(1_000_000_007, below));
        Assert.True(Same(1_000_000_007, above));
        Assert.Equal(1_000_000_007, EnvelopeSplitter.Split(1_000_000_007, above).Allocations.Sum(a => a.AmountYuan));
    }

    [Fact]
    public void The_whole_engine_explains_the_bundled_runs_identically_on_both_paths()
    {
        foreach (var program in new[] { "resident-insurance", "medical-assistance", "service-capacity" })
        {
            var input = TestData.Bundled(program);
            var fast = GrantAllocator.AllocateValidated(input.Parameters, input.Provinces.Rows);
            var big = GrantAllocator.AllocateValidated(input.Parameters, input.Provinces.Rows, forceBigIntegers: true);

            Assert.Equal(big.Provinces, fast.Provinces); // amounts and every explanation field, rendered
            Assert.Equal(big.Provinces.Select(p => p.Explanation.Weight.ToString(CultureInfo.InvariantCulture)), fast.Provinces.Select(p => p.Explanation.Weight.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(big.Provinces.Select(p => p.Explanation.ExactShareYuan.ToString(CultureInfo.InvariantCulture)), fast.Provinces.Select(p => p.Explanation.ExactShareYuan.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal((big.TotalYuan, big.FloorBoundCount, big.PoolYuan, big.FloorPasses), (fast.TotalYuan, fast.FloorBoundCount, fast.PoolYuan, fast.FloorPasses));
        }
    }

    [Fact]
    public void Generated_per_capita_recipients_are_allocated_and_explained_identically_on_both_paths() =>
        Gen.Select(Gen.Long[0, 80_000_000], Gen.Int[0, 1_000], Gen.Int[0, 10]).Array[1, 60]
            .Sample(
                raw =>
                {
                    var rows = raw.Select((r, i) => new ProvinceRow(i + 2, string.Create(CultureInfo.InvariantCulture, $"{110101 + i}"), "c", "县", new Dictionary<string, decimal>(StringComparer.Ordinal)
                    {
                        [ProvinceColumns.ResidentParticipants] = r.Item1,
                        [ProvinceColumns.CentralShare] = r.Item2 / 1_000m,
                        ["prior_year_resident_subsidy_yuan"] = r.Item1 * r.Item3 * 60,
                    })).ToList();
                    var weight = rows.Sum(r => r.Values[ProvinceColumns.ResidentParticipants] * 700m * r.Values[ProvinceColumns.CentralShare]);
                    var parameters = TestData.PerCapita((long)(weight * 0.9m) + 1, 700.5m, new FloorParameters { Ratio = 0.95m, Basis = "prior_year_resident_subsidy_yuan" });
                    try
                    {
                        var fast = GrantAllocator.AllocateValidated(parameters, rows);
                        var big = GrantAllocator.AllocateValidated(parameters, rows, forceBigIntegers: true);
                        return fast.Provinces.SequenceEqual(big.Provinces) && fast.TotalYuan == parameters.EnvelopeYuan;
                    }
                    catch (InfeasibleFloorsException)
                    {
                        return Throws(() => GrantAllocator.AllocateValidated(parameters, rows, forceBigIntegers: true));
                    }
                    catch (GrantFlow.Domain.Validation.InputValidationException)
                    {
                        return Throws(() => GrantAllocator.AllocateValidated(parameters, rows, forceBigIntegers: true));
                    }
                },
                iter: 300);

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (InfeasibleFloorsException)
        {
            return true;
        }
        catch (GrantFlow.Domain.Validation.InputValidationException)
        {
            return true;
        }
    }

    [Fact]
    public void Ratios_and_ceilings_are_the_same_in_128_bits_and_in_BigInteger() =>
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long[1, long.MaxValue], Gen.Int[0, 12])
            .Sample(
                c =>
                {
                    var fast = ExactDecimal.RatioToDecimal((Int128)c.Item1, (Int128)c.Item2, c.Item3);
                    var big = ExactDecimal.RatioToDecimal(new BigInteger(c.Item1), new BigInteger(c.Item2), c.Item3);
                    var a = new decimal(c.Item1 % 1_000_000_007) / 1_000m;
                    var b = new decimal(c.Item2 % 100_000_007) / 10_000m;
                    return fast.ToString(CultureInfo.InvariantCulture) == big.ToString(CultureInfo.InvariantCulture)
                        && ExactDecimal.CeilingOfProduct(a, b) == (long)decimal.Ceiling(a * b);
                },
                iter: 5_000);
}
