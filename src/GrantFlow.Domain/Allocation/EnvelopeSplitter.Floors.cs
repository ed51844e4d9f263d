using System.Numerics;

namespace GrantFlow.Domain.Allocation;

/// <summary>Which claims are held at their floors: the same water-filling for both arithmetic paths.</summary>
public static partial class EnvelopeSplitter
{
    /// <summary>
    /// Water-filling: with the pool's current rate L = pool / poolWeight, any claim whose pro-rata share is below its
    /// floor is below it at the final (never larger) rate too, so it is bound for good; repeated until a pass binds
    /// none. <typeparamref name="T"/> is <see cref="Int128"/> on the fast path (weights summing to a long, so every
    /// product fits) and <see cref="BigInteger"/> otherwise: exact either way.
    /// </summary>
    private static (bool[] Bound, long BoundTotal, long PoolYuan, T PoolWeight, int Iterations) BindFloors<T>(long envelopeYuan, T[] weights, long[] floors, T weightTotal)
        where T : IBinaryInteger<T>
    {
        var n = weights.Length;
        var bound = new bool[n];
        long boundTotal = 0;
        var poolWeight = weightTotal;
        var iterations = 0;
        while (true)
        {
            iterations++;
            var pool = T.CreateChecked(envelopeYuan - boundTotal);
            var passWeight = poolWeight;
            var newlyBound = false;
            for (var i = 0; i < n; i++)
            {
                if (bound[i])
                {
                    continue;
                }

                var belowFloor = T.IsZero(passWeight)
                    ? floors[i] > 0
                    : pool * weights[i] < T.CreateChecked(floors[i]) * passWeight;
                if (belowFloor)
                {
                    bound[i] = true;
                    newlyBound = true;
                    boundTotal += floors[i];
                    poolWeight -= weights[i];
                }
            }

            if (!newlyBound)
            {
                break;
            }
        }

        var poolYuan = envelopeYuan - boundTotal;
        if (poolYuan > 0 && T.IsZero(poolWeight))
        {
            throw new InvalidOperationException(
                $"{poolYuan} yuan are left after floors but no recipient outside the floors has a positive weight.");
        }

        return (bound, boundTotal, poolYuan, poolWeight, iterations);
    }
}
