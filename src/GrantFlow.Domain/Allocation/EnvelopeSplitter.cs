using System.Numerics;

namespace GrantFlow.Domain.Allocation;

/// <summary>
/// Splits an envelope exactly: a_i = max(f_i, L x w_i) with the unique L making the sum equal the envelope,
/// then whole yuan by largest remainder (ties by code, ordinal ascending). All arithmetic is integer: 128-bit when the
/// weights' sum fits in a long (every product pool x w_i and floor x W is then below 2^126, so nothing can overflow),
/// BigInteger otherwise; both give the same result (a differential test checks it).
/// </summary>
public static partial class EnvelopeSplitter
{
    public static EnvelopeSplit Split(long envelopeYuan, IReadOnlyList<AllocationClaim> claims) => Split(envelopeYuan, claims, allowSmall: true);

    /// <summary>The BigInteger path whatever the magnitudes (the reference the 128-bit path is tested against).</summary>
    public static EnvelopeSplit SplitWithBigIntegers(long envelopeYuan, IReadOnlyList<AllocationClaim> claims) => Split(envelopeYuan, claims, allowSmall: false);

    /// <summary>
    /// The split of recipients given as arrays (codes, weights as numerators over a common denominator, floors): the
    /// engine's own entry, which takes the 128-bit path without making a BigInteger per recipient.
    /// </summary>
    public static EnvelopeSplit Split(long envelopeYuan, IReadOnlyList<string> codes, long[] weights, long[] floors)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(floors);
        if (codes.Count != weights.Length || codes.Count != floors.Length)
        {
            throw new ArgumentException("Codes, weights and floors must have one entry per recipient.", nameof(weights));
        }

        CheckEnvelope(envelopeYuan, codes.Count);
        long floorTotal = 0;
        var weightTotal = Int128.Zero;
        for (var i = 0; i < weights.Length; i++)
        {
            if (floors[i] < 0 || weights[i] < 0)
            {
                throw new ArgumentException($"Claim {codes[i]} has a negative weight or floor.", nameof(weights));
            }

            floorTotal = checked(floorTotal + floors[i]);
            weightTotal += weights[i];
        }

        if (floorTotal > envelopeYuan)
        {
            throw new InfeasibleFloorsException(envelopeYuan, floorTotal);
        }

        return weightTotal <= long.MaxValue
            ? SplitSmall(envelopeYuan, codes, weights, floors, (long)weightTotal)
            : Split(envelopeYuan, [.. codes.Select((c, i) => new AllocationClaim(c, weights[i], floors[i]))], allowSmall: false);
    }

    private static void CheckEnvelope(long envelopeYuan, int count)
    {
        if (envelopeYuan <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(envelopeYuan), "The envelope must be positive.");
        }

        if (count == 0)
        {
            throw new ArgumentException("There must be at least one claim.", nameof(count));
        }
    }

    private static EnvelopeSplit Split(long envelopeYuan, IReadOnlyList<AllocationClaim> claims, bool allowSmall)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (envelopeYuan <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(envelopeYuan), "The envelope must be positive.");
        }

        if (claims.Count == 0)
        {
            throw new ArgumentException("There must be at least one claim.", nameof(claims));
        }

        long floorTotal = 0;
        foreach (var claim in claims)
        {
            if (claim.FloorYuan < 0 || claim.Weight.Sign < 0)
            {
                throw new ArgumentException($"Claim {claim.Code} has a negative weight or floor.", nameof(claims));
            }

            floorTotal = checked(floorTotal + claim.FloorYuan);
        }

        if (floorTotal > envelopeYuan)
        {
            throw new InfeasibleFloorsException(envelopeYuan, floorTotal);
        }

        if (allowSmall && claims.All(c => c.Weight <= long.MaxValue) && claims.Aggregate(BigInteger.Zero, (sum, c) => sum + c.Weight) <= long.MaxValue)
        {
            var codes = new string[claims.Count];
            var weights = new long[claims.Count];
            var floors = new long[claims.Count];
            for (var i = 0; i < claims.Count; i++)
            {
                (codes[i], weights[i], floors[i]) = (claims[i].Code, (long)claims[i].Weight, claims[i].FloorYuan);
            }

            return SplitSmall(envelopeYuan, codes, weights, floors, weights.Sum());
        }

        var weightsOf = claims.Select(c => c.Weight).ToArray();
        var (bound, boundTotal, poolYuan, poolWeight, iterations) = BindFloors(envelopeYuan, weightsOf, [.. claims.Select(c => c.FloorYuan)], weightsOf.Aggregate(BigInteger.Zero, (sum, w) => sum + w));
        return Round(envelopeYuan, claims, bound, boundTotal, poolYuan, poolWeight, iterations);
    }

    private static EnvelopeSplit Round(
        long envelopeYuan,
        IReadOnlyList<AllocationClaim> claims,
        bool[] bound,
        long boundTotal,
        long poolYuan,
        BigInteger poolWeight,
        int iterations)
    {
        var roundedDown = new long[claims.Count];
        var remainders = new BigInteger[claims.Count];
        var poolIndices = new List<int>();
        long distributed = boundTotal;
        for (var i = 0; i < claims.Count; i++)
        {
            if (bound[i])
            {
                roundedDown[i] = claims[i].FloorYuan;
                continue;
            }

            poolIndices.Add(i);
            if (poolWeight.IsZero)
            {
                continue;
            }

            var whole = BigInteger.DivRem(poolYuan * claims[i].Weight, poolWeight, out var remainder);
            roundedDown[i] = (long)whole;
            remainders[i] = remainder;
            distributed += roundedDown[i];
        }

        var leftOver = envelopeYuan - distributed;
        poolIndices.Sort((a, b) =>
        {
            var byRemainder = remainders[b].CompareTo(remainders[a]);
            return byRemainder != 0 ? byRemainder : string.CompareOrdinal(claims[a].Code, claims[b].Code);
        });

        var adjustment = new long[claims.Count];
        var rank = new int[claims.Count];
        for (var r = 0; r < poolIndices.Count; r++)
        {
            var i = poolIndices[r];
            rank[i] = r + 1;
            if (r < leftOver)
            {
                adjustment[i] = 1;
            }
        }

        var allocations = new ClaimAllocation[claims.Count];
        for (var i = 0; i < claims.Count; i++)
        {
            var claim = claims[i];
            allocations[i] = new ClaimAllocation
            {
                Code = claim.Code,
                AmountYuan = roundedDown[i] + adjustment[i],
                FloorYuan = claim.FloorYuan,
                FloorBound = bound[i],
                ExactShareNumerator = bound[i] || poolWeight.IsZero ? claim.FloorYuan : poolYuan * claim.Weight,
                ExactShareDenominator = bound[i] || poolWeight.IsZero ? BigInteger.One : poolWeight,
                RoundedDownYuan = roundedDown[i],
                RoundingAdjustmentYuan = adjustment[i],
                RemainderRank = rank[i],
            };
        }

        return new EnvelopeSplit(envelopeYuan, boundTotal, poolYuan, poolWeight, iterations, allocations);
    }
}
