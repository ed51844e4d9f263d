using System.Numerics;

namespace GrantFlow.Domain.Allocation;

/// <summary>
/// One recipient's claim on an envelope: its formula weight (as an integer numerator over a denominator
/// common to every claim of the run, so only ratios matter) and its floor in whole yuan.
/// </summary>
public readonly record struct AllocationClaim(string Code, BigInteger Weight, long FloorYuan);

/// <summary>How one claim was settled: the exact share, the floor, and the rounding.</summary>
public sealed record ClaimAllocation
{
    public required string Code { get; init; }
    public required long AmountYuan { get; init; }
    public required long FloorYuan { get; init; }
    public required bool FloorBound { get; init; }

    private readonly Int128 _smallNumerator;
    private readonly Int128 _smallDenominator = 1;
    private readonly BigInteger? _numerator;
    private readonly BigInteger? _denominator;

    /// <summary>Exact share in yuan = ExactShareNumerator / ExactShareDenominator (for a bound claim, the floor over 1).</summary>
    public BigInteger ExactShareNumerator { get => _numerator ?? (BigInteger)_smallNumerator; init => _numerator = value; }

    public BigInteger ExactShareDenominator { get => _denominator ?? (BigInteger)_smallDenominator; init => _denominator = value; }

    /// <summary>The exact share's numerator and denominator in 128 bits (the fast path), when they were computed so.</summary>
    public (Int128 Numerator, Int128 Denominator)? SmallExactShare
    {
        get => _numerator is null ? (_smallNumerator, _smallDenominator) : null;
        init => (_smallNumerator, _smallDenominator) = value ?? (0, 1);
    }

    /// <summary>Equal when every figure is equal, whichever arithmetic computed them.</summary>
    public bool Equals(ClaimAllocation? other) =>
        other is not null
        && (Code, AmountYuan, FloorYuan, FloorBound, RoundedDownYuan, RoundingAdjustmentYuan, RemainderRank) == (other.Code, other.AmountYuan, other.FloorYuan, other.FloorBound, other.RoundedDownYuan, other.RoundingAdjustmentYuan, other.RemainderRank)
        && ExactShareNumerator == other.ExactShareNumerator
        && ExactShareDenominator == other.ExactShareDenominator;

    public override int GetHashCode() => HashCode.Combine(Code, AmountYuan, RemainderRank);

    /// <summary>The whole yuan of the exact share before the largest-remainder step.</summary>
    public required long RoundedDownYuan { get; init; }

    /// <summary>0 or 1: the yuan this claim received from the largest-remainder step.</summary>
    public required long RoundingAdjustmentYuan { get; init; }

    /// <summary>1-based rank of this claim's fractional part among the pool (0 when bound).</summary>
    public required int RemainderRank { get; init; }
}

/// <summary>The outcome of splitting an envelope between claims.</summary>
public sealed record EnvelopeSplit(
    long EnvelopeYuan,
    long BoundFloorTotalYuan,
    long PoolYuan,
    BigInteger PoolWeight,
    int Iterations,
    IReadOnlyList<ClaimAllocation> Allocations)
{
    /// <summary>The 128-bit path's figures as arrays (null on the BigInteger path): the engine reads them without an object per claim.</summary>
    internal SmallSplit? Small { get; init; }
}

/// <summary>
/// The 128-bit split's figures, one array entry per claim; <see cref="ClaimAllocation"/>s are made from them only when
/// someone asks for one (by index), so a million recipients do not cost a million objects.
/// </summary>
internal sealed class SmallSplit(string[] codes, long[] weights, long[] floors, bool[] bound, long[] roundedDown, long[] adjustment, int[] rank, long poolYuan, long poolWeight)
    : IReadOnlyList<ClaimAllocation>
{
    public long Amount(int i) => roundedDown[i] + adjustment[i];

    public bool Bound(int i) => bound[i];

    public long Floor(int i) => floors[i];

    public long RoundedDown(int i) => roundedDown[i];

    public long Adjustment(int i) => adjustment[i];

    public int Rank(int i) => rank[i];

    /// <summary>The exact share: floor/1 when bound (or nothing to share by formula), else pool x w_i / W (below 2^126).</summary>
    public (Int128 Numerator, Int128 Denominator) ExactShare(int i) =>
        bound[i] || poolWeight == 0 ? (floors[i], Int128.One) : ((Int128)poolYuan * weights[i], poolWeight);

    public int Count => codes.Length;

    public ClaimAllocation this[int index] => new()
    {
        Code = codes[index],
        AmountYuan = Amount(index),
        FloorYuan = floors[index],
        FloorBound = bound[index],
        SmallExactShare = ExactShare(index),
        RoundedDownYuan = roundedDown[index],
        RoundingAdjustmentYuan = adjustment[index],
        RemainderRank = rank[index],
    };

    public IEnumerator<ClaimAllocation> GetEnumerator()
    {
        for (var i = 0; i < codes.Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
