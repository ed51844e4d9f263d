using System.Numerics;

namespace GrantFlow.Domain.Allocation;

/// <summary>
/// Splits an envelope exactly: a_i = max(f_i, L x w_i) with the unique L making the sum equal the envelope,
/// then whole yuan by largest remainder (ties by code, ordinal ascending). All arithmetic is integer.
/// </summary>
public static class EnvelopeSplitter
{
    public static EnvelopeSplit Split(long envelopeYuan, IReadOnlyList<AllocationClaim> claims)
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

        var bound = new bool[claims.Count];
        long boundTotal = 0;
        var poolWeight = BigInteger.Zero;
        foreach (var claim in claims)
        {
            poolWeight += claim.Weight;
        }

        // Water-filling: with the pool's current rate L = pool / poolWeight, any claim whose pro-rata share
        // is below its floor is below it at the final (never larger) rate too, so it is bound for good.
        var iterations = 0;
        while (true)
        {
            iterations++;
            var pool = envelopeYuan - boundTotal;
            var passWeight = poolWeight;
            var newlyBound = false;
            for (var i = 0; i < claims.Count; i++)
            {
                if (bound[i])
                {
                    continue;
                }

                var claim = claims[i];
                var belowFloor = passWeight.IsZero
                    ? claim.FloorYuan > 0
                    : pool * claim.Weight < claim.FloorYuan * passWeight;
                if (belowFloor)
                {
                    bound[i] = true;
                    newlyBound = true;
                    boundTotal += claim.FloorYuan;
                    poolWeight -= claim.Weight;
                }
            }

            if (!newlyBound)
            {
                break;
            }
        }

        var poolYuan = envelopeYuan - boundTotal;
        if (poolYuan > 0 && poolWeight.IsZero)
        {
            throw new InvalidOperationException(
                $"{poolYuan} yuan are left after floors but no recipient outside the floors has a positive weight.");
        }

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
