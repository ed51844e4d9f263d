using System.Globalization;
using System.Numerics;
using GrantFlow.Domain.Arithmetic;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Allocation;

/// <summary>Validates a run's input and allocates its envelope between provinces with explanations.</summary>
public static class GrantAllocator
{
    /// <summary>
    /// Allocates the envelope. Throws <see cref="InputValidationException"/> (every error at once) for bad input and
    /// <see cref="InfeasibleFloorsException"/> when the floors alone exceed the envelope. Never returns a partial result.
    /// </summary>
    public static AllocationResult Allocate(RunParameters parameters, ProvinceTable table)
    {
        // The recipients' level (provinces or counties) was checked where the input was read; here, one level per run.
        RunInputValidator.ThrowIfInvalid(parameters, table, RunInput.InferLevel(table));
        var rows = table.Rows.OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
        var weights = FormulaWeights.Compute(parameters.Formula, rows);
        if (weights.Numerators.All(w => w.IsZero))
        {
            throw new InputValidationException([new ValidationError("formula", null, "every province has a formula weight of zero, so nothing can be shared by formula.")]);
        }

        var claims = new AllocationClaim[rows.Length];
        var floorComputations = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            long floor = 0;
            if (parameters.Floor is { } f)
            {
                var basis = rows[i].Values[f.Basis];
                floor = ExactDecimal.CeilingOfProduct(f.Ratio, basis);
                floorComputations[i] = string.Create(CultureInfo.InvariantCulture, $"ceiling({f.Ratio} x {f.Basis} {basis}) = {floor}");
            }

            claims[i] = new AllocationClaim(rows[i].Code, weights.Numerators[i], floor);
        }

        var split = EnvelopeSplitter.Split(parameters.EnvelopeYuan, claims);
        var used = RunInputValidator.ColumnsUsed(parameters);
        var version = FormulaWeights.VersionOf(parameters.Formula);
        var provinces = new ProvinceAllocation[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            provinces[i] = Explain(rows[i], split.Allocations[i], weights, i, split.PoolWeight, used, version, floorComputations[i]);
        }

        return new AllocationResult
        {
            Program = parameters.Program,
            FiscalYear = parameters.FiscalYear,
            EnvelopeYuan = parameters.EnvelopeYuan,
            FormulaVersion = version,
            TotalYuan = provinces.Sum(p => p.AmountYuan),
            FloorTotalYuan = claims.Sum(c => c.FloorYuan),
            FloorBoundCount = split.Allocations.Count(a => a.FloorBound),
            PoolYuan = split.PoolYuan,
            FloorPasses = split.Iterations,
            Provinces = provinces,
        };
    }

    private static ProvinceAllocation Explain(
        ProvinceRow row,
        ClaimAllocation allocation,
        FormulaWeights weights,
        int index,
        BigInteger poolWeight,
        IReadOnlyList<string> used,
        string version,
        string? floorComputation)
    {
        var weight = weights.Numerators[index];
        return new ProvinceAllocation
        {
            Code = row.Code,
            NameEn = row.NameEn,
            NameZh = row.NameZh,
            AmountYuan = allocation.AmountYuan,
            Explanation = new AllocationExplanation
            {
                FormulaVersion = version,
                Inputs = used.ToDictionary(c => c, c => row.Values[c], StringComparer.Ordinal),
                WeightComputation = weights.Computations[index],
                Weight = ExactDecimal.RatioToDecimal(weight, weights.Denominator, 12),
                ShareOfPool = allocation.FloorBound || poolWeight.IsZero ? null : ExactDecimal.RatioToDecimal(weight, poolWeight, 12),
                ExactShareFraction = string.Create(CultureInfo.InvariantCulture, $"{allocation.ExactShareNumerator}/{allocation.ExactShareDenominator}"),
                ExactShareYuan = ExactDecimal.RatioToDecimal(allocation.ExactShareNumerator, allocation.ExactShareDenominator, 6),
                FloorYuan = allocation.FloorYuan,
                FloorComputation = floorComputation,
                FloorBound = allocation.FloorBound,
                RoundedDownYuan = allocation.RoundedDownYuan,
                RoundingAdjustmentYuan = allocation.RoundingAdjustmentYuan,
                RemainderRank = allocation.RemainderRank,
            },
        };
    }
}
