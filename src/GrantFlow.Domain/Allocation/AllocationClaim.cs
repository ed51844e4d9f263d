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

    /// <summary>Exact share in yuan = ExactShareNumerator / ExactShareDenominator (for a bound claim, the floor over 1).</summary>
    public required BigInteger ExactShareNumerator { get; init; }
    public required BigInteger ExactShareDenominator { get; init; }

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
    IReadOnlyList<ClaimAllocation> Allocations);
