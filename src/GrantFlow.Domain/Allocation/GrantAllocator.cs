using System.Globalization;
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
        ArgumentNullException.ThrowIfNull(table);
        // The recipients' level (provinces or counties) was checked where the input was read; here, one level per run.
        RunInputValidator.ThrowIfInvalid(parameters, table, RunInput.InferLevel(table));
        return AllocateValidated(parameters, table.Rows);
    }

    /// <summary>
    /// The engine on validated rows (any order; they are put in code order): weights, floors, the split and the
    /// structured explanations. 128-bit arithmetic when the magnitudes allow, BigInteger otherwise, same results.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static AllocationResult AllocateValidated(RunParameters parameters, IReadOnlyList<ProvinceRow> recipients, bool forceBigIntegers = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(recipients);
        var rows = InCodeOrder(recipients);
        var weights = forceBigIntegers ? FormulaWeights.ComputeWithBigIntegers(parameters.Formula, rows) : FormulaWeights.Compute(parameters.Formula, rows);
        if (weights.AllZero)
        {
            throw new InputValidationException([new ValidationError("formula", null, "every province has a formula weight of zero, so nothing can be shared by formula.").With(ErrorCodes.AllWeightsZero)]);
        }

        var floors = new long[rows.Length];
        if (parameters.Floor is { } f)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                floors[i] = ExactDecimal.CeilingOfProduct(f.Ratio, rows[i].Values[f.Basis]);
            }
        }

        var codes = Array.ConvertAll(rows, r => r.Code);
        var split = weights.SmallNumerators is { } small && !forceBigIntegers
            ? EnvelopeSplitter.Split(parameters.EnvelopeYuan, codes, small, floors)
            : EnvelopeSplitter.SplitWithBigIntegers(parameters.EnvelopeYuan, [.. rows.Select((r, i) => new AllocationClaim(r.Code, weights.Numerators[i], floors[i]))]);
        var version = FormulaWeights.VersionOf(parameters.Formula);
        long total = 0, floorTotal = 0;
        var floorBound = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            total += split.Small?.Amount(i) ?? split.Allocations[i].AmountYuan;
            floorTotal += floors[i];
            floorBound += (split.Small?.Bound(i) ?? split.Allocations[i].FloorBound) ? 1 : 0;
        }

        var provinces = new AllocationList(rows, split, floors, new AllocationExplainer(rows, weights, split, RunInputValidator.ColumnsUsed(parameters), parameters.Floor), version);
        return new AllocationResult
        {
            Program = parameters.Program,
            FiscalYear = parameters.FiscalYear,
            EnvelopeYuan = parameters.EnvelopeYuan,
            FormulaVersion = version,
            TotalYuan = total,
            FloorTotalYuan = floorTotal,
            FloorBoundCount = floorBound,
            PoolYuan = split.PoolYuan,
            FloorPasses = split.Iterations,
            Provinces = provinces,
        };
    }

    /// <summary>The rows by code (ordinal); already ordered input (the usual case) is not sorted again.</summary>
    private static ProvinceRow[] InCodeOrder(IReadOnlyList<ProvinceRow> recipients)
    {
        var rows = recipients.ToArray();
        for (var i = 1; i < rows.Length; i++)
        {
            if (string.CompareOrdinal(rows[i - 1].Code, rows[i].Code) > 0)
            {
                Array.Sort(rows, (a, b) => string.CompareOrdinal(a.Code, b.Code));
                break;
            }
        }

        return rows;
    }
}

/// <summary>
/// The allocation lines of a run as a list over the engine's arrays: each line (and its explanation) is made when it is
/// read, so a million recipients cost their arrays, not two million objects; the same index gives an equal line.
/// </summary>
internal sealed class AllocationList(ProvinceRow[] rows, EnvelopeSplit split, long[] floors, AllocationExplainer explainer, string version) : IReadOnlyList<ProvinceAllocation>
{
    public int Count => rows.Length;

    public ProvinceAllocation this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, rows.Length);
            var (amount, bound, down, adjustment, rank) = split.Small is { } fast
                ? (fast.Amount(index), fast.Bound(index), fast.RoundedDown(index), fast.Adjustment(index), fast.Rank(index))
                : (split.Allocations[index].AmountYuan, split.Allocations[index].FloorBound, split.Allocations[index].RoundedDownYuan, split.Allocations[index].RoundingAdjustmentYuan, split.Allocations[index].RemainderRank);
            return new ProvinceAllocation
            {
                Code = rows[index].Code,
                NameEn = rows[index].NameEn,
                NameZh = rows[index].NameZh,
                AmountYuan = amount,
                Explanation = new AllocationExplanation
                {
                    Source = explainer,
                    Index = index,
                    FormulaVersion = version,
                    FloorYuan = floors[index],
                    FloorBound = bound,
                    RoundedDownYuan = down,
                    RoundingAdjustmentYuan = adjustment,
                    RemainderRank = rank,
                },
            };
        }
    }

    public IEnumerator<ProvinceAllocation> GetEnumerator()
    {
        for (var i = 0; i < rows.Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A run's numbers, from which each recipient's explanation renders its texts and display decimals on first read:
/// the same exact values the split used, so what is shown is what was computed.
/// </summary>
internal sealed class AllocationExplainer(ProvinceRow[] rows, FormulaWeights weights, EnvelopeSplit split, IReadOnlyList<string> used, FloorParameters? floor)
{
    public IReadOnlyDictionary<string, decimal> Inputs(int i) => used.ToDictionary(c => c, c => rows[i].Values[c], StringComparer.Ordinal);

    public string WeightComputation(int i) => weights.Computation(i);

    public decimal Weight(int i) => weights.SmallNumerators is { } small && weights.Denominator <= (System.Numerics.BigInteger)Int128.MaxValue
        ? ExactDecimal.RatioToDecimal(small[i], (Int128)weights.Denominator, 12)
        : ExactDecimal.RatioToDecimal(weights.Numerators[i], weights.Denominator, 12);

    public decimal? ShareOfPool(int i)
    {
        if ((split.Small?.Bound(i) ?? split.Allocations[i].FloorBound) || split.PoolWeight.IsZero)
        {
            return null;
        }

        return weights.SmallNumerators is { } small
            ? ExactDecimal.RatioToDecimal(small[i], (Int128)split.PoolWeight, 12)
            : ExactDecimal.RatioToDecimal(weights.Numerators[i], split.PoolWeight, 12);
    }

    public string ExactShareFraction(int i)
    {
        if (split.Small is { } fast)
        {
            var (numerator, denominator) = fast.ExactShare(i);
            return string.Create(CultureInfo.InvariantCulture, $"{numerator}/{denominator}");
        }

        var allocation = split.Allocations[i];
        return string.Create(CultureInfo.InvariantCulture, $"{allocation.ExactShareNumerator}/{allocation.ExactShareDenominator}");
    }

    public decimal ExactShareYuan(int i)
    {
        if (split.Small is { } fast)
        {
            var (numerator, denominator) = fast.ExactShare(i);
            return ExactDecimal.RatioToDecimal(numerator, denominator, 6);
        }

        var allocation = split.Allocations[i];
        return ExactDecimal.RatioToDecimal(allocation.ExactShareNumerator, allocation.ExactShareDenominator, 6);
    }

    public string? FloorComputation(int i) => floor is { } f
        ? string.Create(CultureInfo.InvariantCulture, $"ceiling({f.Ratio} x {f.Basis} {rows[i].Values[f.Basis]}) = {split.Small?.Floor(i) ?? split.Allocations[i].FloorYuan}")
        : null;
}
