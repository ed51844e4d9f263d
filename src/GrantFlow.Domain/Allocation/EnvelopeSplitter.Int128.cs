namespace GrantFlow.Domain.Allocation;

/// <summary>The split in 128-bit integers: the fast path, for weights whose sum fits in a long.</summary>
public static partial class EnvelopeSplitter
{
    /// <summary>
    /// The 128-bit path. Preconditions (checked by the callers): weights and floors non-negative, floors within the
    /// envelope, the weights' sum W fits in a long. Then pool x w_i &lt; 2^63 x 2^63 and floor x W &lt; 2^126: exact.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static EnvelopeSplit SplitSmall(long envelopeYuan, IReadOnlyList<string> codes, long[] weights, long[] floors, long weightTotal)
    {
        var n = weights.Length;
        var (bound, boundTotal, poolYuan, widePoolWeight, iterations) = BindFloors(envelopeYuan, Array.ConvertAll(weights, w => (Int128)w), floors, weightTotal);
        var poolWeight = (long)widePoolWeight; // at most the weights' sum, a long

        var roundedDown = new long[n];
        var remainders = new long[n]; // each below poolWeight, so a long
        var poolCount = 0;
        long distributed = boundTotal;
        for (var i = 0; i < n; i++)
        {
            if (bound[i])
            {
                roundedDown[i] = floors[i];
                continue;
            }

            poolCount++;
            if (poolWeight == 0)
            {
                continue;
            }

            var (whole, remainder) = Int128.DivRem((Int128)poolYuan * weights[i], poolWeight);
            roundedDown[i] = (long)whole;
            remainders[i] = (long)remainder;
            distributed += roundedDown[i];
        }

        // Largest remainder first, ties by code: sort the pool by (long.MaxValue - remainder), then order each run of
        // equal remainders by code (ordinal). Sorting primitive keys keeps it fast at a million recipients.
        var keys = new long[poolCount];
        var order = new int[poolCount];
        for (int i = 0, p = 0; i < n; i++)
        {
            if (!bound[i])
            {
                keys[p] = long.MaxValue - remainders[i];
                order[p++] = i;
            }
        }

        RadixSort.Sort(keys, order);
        var byCode = Comparer<int>.Create((a, b) => string.CompareOrdinal(codes[a], codes[b]));
        for (var start = 0; start < poolCount;)
        {
            var end = start + 1;
            while (end < poolCount && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start, byCode);
            }

            start = end;
        }

        var leftOver = envelopeYuan - distributed;
        var adjustment = new long[n];
        var rank = new int[n];
        for (var r = 0; r < poolCount; r++)
        {
            var i = order[r];
            rank[i] = r + 1;
            if (r < leftOver)
            {
                adjustment[i] = 1;
            }
        }

        var small = new SmallSplit([.. codes], [.. weights], [.. floors], bound, roundedDown, adjustment, rank, poolYuan, poolWeight);
        return new EnvelopeSplit(envelopeYuan, boundTotal, poolYuan, poolWeight, iterations, small) { Small = small };
    }
}
