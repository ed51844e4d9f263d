namespace GrantFlow.Domain.Inputs;

/// <summary>The run-parameters document (the same JSON the CLI reads and the HTTP API accepts).</summary>
public sealed record RunParameters
{
    public required string Program { get; init; }
    public required int FiscalYear { get; init; }
    public required long EnvelopeYuan { get; init; }
    public required FormulaParameters Formula { get; init; }
    public FloorParameters? Floor { get; init; }
}

/// <summary>The allocation formula: <c>per-capita</c> (standardYuan) or <c>factor</c> (weights by CSV column).</summary>
public sealed record FormulaParameters
{
    public const string PerCapitaKind = "per-capita";
    public const string FactorKind = "factor";

    public required string Kind { get; init; }
    public decimal? StandardYuan { get; init; }
    public IReadOnlyDictionary<string, decimal>? Weights { get; init; }
}

/// <summary>floor_i = ceiling(Ratio x the Basis column), in whole yuan.</summary>
public sealed record FloorParameters
{
    public required decimal Ratio { get; init; }
    public required string Basis { get; init; }
}
