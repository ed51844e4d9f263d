namespace GrantFlow.Domain.Allocation;

/// <summary>The allocation of one run: one line per province (codes ascending) adding up to the envelope exactly.</summary>
public sealed record AllocationResult
{
    public required string Program { get; init; }
    public required int FiscalYear { get; init; }
    public required long EnvelopeYuan { get; init; }
    public required string FormulaVersion { get; init; }
    public required long TotalYuan { get; init; }
    public required long FloorTotalYuan { get; init; }
    public required int FloorBoundCount { get; init; }

    /// <summary>Yuan shared by formula after the bound floors (envelope minus bound floors).</summary>
    public required long PoolYuan { get; init; }

    /// <summary>Water-filling passes needed to settle the floors.</summary>
    public required int FloorPasses { get; init; }

    public required IReadOnlyList<ProvinceAllocation> Provinces { get; init; }
}

/// <summary>One province's amount and the explanation behind it.</summary>
public sealed record ProvinceAllocation
{
    public required string Code { get; init; }
    public required string NameEn { get; init; }
    public required string NameZh { get; init; }
    public required long AmountYuan { get; init; }
    public decimal AmountWanYuan => AmountYuan / 10_000m;
    public required AllocationExplanation Explanation { get; init; }
}

/// <summary>Everything an auditor needs to recompute a province's amount by hand.</summary>
public sealed record AllocationExplanation
{
    public required string FormulaVersion { get; init; }

    /// <summary>The input values used (formula columns and the floor basis).</summary>
    public required IReadOnlyDictionary<string, decimal> Inputs { get; init; }

    /// <summary>The formula weight w_i with the arithmetic that produced it.</summary>
    public required string WeightComputation { get; init; }

    /// <summary>w_i, rounded to 12 places for display.</summary>
    public required decimal Weight { get; init; }

    /// <summary>w_i / sum of the pool's weights (12 places), null when the floor bound.</summary>
    public decimal? ShareOfPool { get; init; }

    /// <summary>The exact share a_i = max(f_i, L x w_i), as numerator/denominator in yuan.</summary>
    public required string ExactShareFraction { get; init; }

    /// <summary>The exact share rounded to 6 places for reading.</summary>
    public required decimal ExactShareYuan { get; init; }

    public required long FloorYuan { get; init; }
    public string? FloorComputation { get; init; }
    public required bool FloorBound { get; init; }

    /// <summary>floor(exact share): the whole yuan before the largest-remainder step.</summary>
    public required long RoundedDownYuan { get; init; }

    /// <summary>0 or 1 yuan added by the largest-remainder step.</summary>
    public required long RoundingAdjustmentYuan { get; init; }

    /// <summary>Rank of the fractional part among the pool (1 = largest; ties by code); 0 when the floor bound.</summary>
    public required int RemainderRank { get; init; }
}
