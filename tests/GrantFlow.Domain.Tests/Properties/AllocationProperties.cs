using System.Numerics;
using CsCheck;
using GrantFlow.Domain.Allocation;

namespace GrantFlow.Domain.Tests.Properties;

/// <summary>Properties of the split over generated inputs (CsCheck shrinks a failure to a small case).</summary>
public class AllocationProperties
{
    private static readonly Gen<(long Envelope, AllocationClaim[] Claims)> Cases =
        Gen.Select(Gen.Long[0, 1_000_000_000L], Gen.Long[0, 50_000_000L], Gen.Bool)
            .Array[1, 40]
            .SelectMany(raw =>
            {
                var claims = raw.Select((r, i) => new AllocationClaim($"{10 + i:D2}", new BigInteger(r.Item1), r.Item3 ? r.Item2 : 0)).ToArray();
                if (claims.All(c => c.Weight.IsZero))
                {
                    claims[0] = claims[0] with { Weight = BigInteger.One };
                }

                var floors = claims.Sum(c => c.FloorYuan);
                return Gen.Long[Math.Max(1, floors), floors + 10_000_000_000L].Select(envelope => (envelope, claims));
            });

    [Fact]
    public void Amounts_add_up_to_the_envelope_exactly() =>
        Cases.Sample(c => EnvelopeSplitter.Split(c.Envelope, c.Claims).Allocations.Sum(a => a.AmountYuan) == c.Envelope, iter: 500);

    [Fact]
    public void No_amount_is_below_its_floor() =>
        Cases.Sample(c => EnvelopeSplitter.Split(c.Envelope, c.Claims).Allocations.All(a => a.AmountYuan >= a.FloorYuan), iter: 500);

    [Fact]
    public void Each_amount_is_within_one_yuan_of_its_exact_share() =>
        Cases.Sample(
            c => EnvelopeSplitter.Split(c.Envelope, c.Claims).Allocations.All(a =>
            {
                var exactTimesDen = a.ExactShareNumerator;
                var amountTimesDen = a.AmountYuan * a.ExactShareDenominator;
                return BigInteger.Abs(amountTimesDen - exactTimesDen) < a.ExactShareDenominator;
            }),
            iter: 500);

    [Fact]
    public void Row_order_does_not_change_the_result() =>
        Cases.SelectMany(c => Gen.Shuffle(c.Claims.ToArray()).Select(shuffled => (c.Envelope, c.Claims, Shuffled: shuffled)))
            .Sample(c => ByCode(EnvelopeSplitter.Split(c.Envelope, c.Claims)).SequenceEqual(ByCode(EnvelopeSplitter.Split(c.Envelope, c.Shuffled))), iter: 300);

    [Fact]
    public void Scaling_all_weights_does_not_change_the_result() =>
        Cases.SelectMany(c => Gen.Long[2, 1_000_000].Select(k => (c.Envelope, c.Claims, Scale: k)))
            .Sample(
                c =>
                {
                    var scaled = c.Claims.Select(x => x with { Weight = x.Weight * c.Scale }).ToArray();
                    return ByCode(EnvelopeSplitter.Split(c.Envelope, c.Claims)).SequenceEqual(ByCode(EnvelopeSplitter.Split(c.Envelope, scaled)));
                },
                iter: 300);

    [Fact]
    public void Rounding_hands_out_fewer_extra_yuan_than_there_are_pool_members() =>
        Cases.Sample(
            c =>
            {
                var split = EnvelopeSplitter.Split(c.Envelope, c.Claims);
                var extra = split.Allocations.Sum(a => a.RoundingAdjustmentYuan);
                return extra < Math.Max(1, split.Allocations.Count(a => !a.FloorBound)) || extra == 0;
            },
            iter: 300);

    private static IEnumerable<(string, long)> ByCode(EnvelopeSplit split) =>
        split.Allocations.OrderBy(a => a.Code, StringComparer.Ordinal).Select(a => (a.Code, a.AmountYuan));
}
