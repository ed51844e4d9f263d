namespace GrantFlow.Domain.Allocation;

/// <summary>The sort the 128-bit split orders its remainders with.</summary>
internal static class RadixSort
{
    /// <summary>
    /// Sorts non-negative keys ascending with their items: a stable least-significant-byte radix sort (8 passes at
    /// most; a byte every key shares is skipped), linear in the count where a comparison sort of a million keys is not.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Sort(long[] keys, int[] items)
    {
        var n = keys.Length;
        var keyBuffer = new long[n];
        var itemBuffer = new int[n];
        Span<int> counts = stackalloc int[256];
        for (var shift = 0; shift < 64; shift += 8)
        {
            counts.Clear();
            for (var i = 0; i < n; i++)
            {
                counts[(int)((ulong)keys[i] >> shift) & 0xFF]++;
            }

            if (n == 0 || counts[(int)((ulong)keys[0] >> shift) & 0xFF] == n)
            {
                continue; // every key has this byte: the pass would change nothing
            }

            var total = 0;
            for (var b = 0; b < 256; b++)
            {
                (counts[b], total) = (total, total + counts[b]);
            }

            for (var i = 0; i < n; i++)
            {
                var slot = counts[(int)((ulong)keys[i] >> shift) & 0xFF]++;
                keyBuffer[slot] = keys[i];
                itemBuffer[slot] = items[i];
            }

            keyBuffer.AsSpan().CopyTo(keys);
            itemBuffer.AsSpan().CopyTo(items);
        }
    }
}
