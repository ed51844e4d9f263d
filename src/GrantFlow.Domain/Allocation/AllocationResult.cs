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

/// <summary>
/// Everything an auditor needs to recompute a province's amount by hand. Exact and structured: the engine keeps the
/// numbers it computed with, and the texts and rounded decimals (<see cref="WeightComputation"/>,
/// <see cref="Weight"/>, <see cref="ShareOfPool"/>, <see cref="ExactShareFraction"/>, <see cref="ExactShareYuan"/>,
/// <see cref="Inputs"/>, <see cref="FloorComputation"/>) are rendered from them when first read (a million recipients
/// cost no text until someone looks). Read back from JSON, every value is set as it was written.
/// </summary>
public sealed record AllocationExplanation
{
    private Rendered? _rendered;

    private Rendered Texts => _rendered ??= new Rendered();

    /// <summary>The run's numbers this explanation renders from (null when read back from storage).</summary>
    internal AllocationExplainer? Source { private get; init; }

    /// <summary>The recipient's position in <see cref="Source"/>.</summary>
    internal int Index { private get; init; }

    public required string FormulaVersion { get; init; }

    /// <summary>The input values used (formula columns and the floor basis).</summary>
    public IReadOnlyDictionary<string, decimal> Inputs
    {
        get => Texts.Inputs ??= Source?.Inputs(Index) ?? new Dictionary<string, decimal>();
        init => Texts.Inputs = value;
    }

    /// <summary>The formula weight w_i with the arithmetic that produced it.</summary>
    public string WeightComputation
    {
        get => Texts.WeightComputation ??= Source?.WeightComputation(Index) ?? string.Empty;
        init => Texts.WeightComputation = value;
    }

    /// <summary>w_i, rounded to 12 places for display.</summary>
    public decimal Weight
    {
        get => Texts.Weight ??= Source?.Weight(Index) ?? 0m;
        init => Texts.Weight = value;
    }

    /// <summary>w_i / sum of the pool's weights (12 places), null when the floor bound.</summary>
    public decimal? ShareOfPool
    {
        get
        {
            var texts = Texts;
            if (!texts.ShareOfPoolKnown && Source is not null)
            {
                (texts.ShareOfPool, texts.ShareOfPoolKnown) = (Source.ShareOfPool(Index), true);
            }

            return texts.ShareOfPool;
        }

        init => (Texts.ShareOfPool, Texts.ShareOfPoolKnown) = (value, true);
    }

    /// <summary>The exact share a_i = max(f_i, L x w_i), as numerator/denominator in yuan.</summary>
    public string ExactShareFraction
    {
        get => Texts.ExactShareFraction ??= Source?.ExactShareFraction(Index) ?? string.Empty;
        init => Texts.ExactShareFraction = value;
    }

    /// <summary>The exact share rounded to 6 places for reading.</summary>
    public decimal ExactShareYuan
    {
        get => Texts.ExactShareYuan ??= Source?.ExactShareYuan(Index) ?? 0m;
        init => Texts.ExactShareYuan = value;
    }

    public required long FloorYuan { get; init; }

    public string? FloorComputation
    {
        get
        {
            var texts = Texts;
            if (!texts.FloorComputationKnown && Source is not null)
            {
                (texts.FloorComputation, texts.FloorComputationKnown) = (Source.FloorComputation(Index), true);
            }

            return texts.FloorComputation;
        }

        init => (Texts.FloorComputation, Texts.FloorComputationKnown) = (value, true);
    }

    public required bool FloorBound { get; init; }

    /// <summary>floor(exact share): the whole yuan before the largest-remainder step.</summary>
    public required long RoundedDownYuan { get; init; }

    /// <summary>0 or 1 yuan added by the largest-remainder step.</summary>
    public required long RoundingAdjustmentYuan { get; init; }

    /// <summary>Rank of the fractional part among the pool (1 = largest; ties by code); 0 when the floor bound.</summary>
    public required int RemainderRank { get; init; }

    /// <summary>Equal when every value an auditor reads is equal (rendered or read back alike).</summary>
    public bool Equals(AllocationExplanation? other) =>
        other is not null
        && (FormulaVersion, WeightComputation, Weight, ShareOfPool, ExactShareFraction, ExactShareYuan, FloorYuan, FloorComputation, FloorBound, RoundedDownYuan, RoundingAdjustmentYuan, RemainderRank)
            == (other.FormulaVersion, other.WeightComputation, other.Weight, other.ShareOfPool, other.ExactShareFraction, other.ExactShareYuan, other.FloorYuan, other.FloorComputation, other.FloorBound, other.RoundedDownYuan, other.RoundingAdjustmentYuan, other.RemainderRank)
        && Inputs.Count == other.Inputs.Count
        && Inputs.All(kv => other.Inputs.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(FormulaVersion, FloorYuan, RoundedDownYuan, RemainderRank);

    /// <summary>The rendered texts and display decimals, made on first read (one object, only for explanations read).</summary>
    private sealed class Rendered
    {
        public IReadOnlyDictionary<string, decimal>? Inputs;
        public string? WeightComputation;
        public decimal? Weight;
        public decimal? ShareOfPool;
        public bool ShareOfPoolKnown;
        public string? ExactShareFraction;
        public decimal? ExactShareYuan;
        public string? FloorComputation;
        public bool FloorComputationKnown;
    }
}
