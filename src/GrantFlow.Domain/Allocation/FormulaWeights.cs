using System.Globalization;
using System.Numerics;
using GrantFlow.Domain.Arithmetic;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Domain.Allocation;

/// <summary>
/// Exact formula weights: weight_i = Numerators[i] / Denominator, with one denominator for the whole run.
/// Computations[i] is the human-readable arithmetic an auditor can redo by hand.
/// </summary>
public sealed record FormulaWeights(BigInteger[] Numerators, BigInteger Denominator, string[] Computations)
{
    public const string PerCapitaVersion = "per-capita/1";
    public const string FactorVersion = "factor/1";

    public static string VersionOf(FormulaParameters formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        return formula.Kind == FormulaParameters.PerCapitaKind ? PerCapitaVersion : FactorVersion;
    }

    /// <summary>Weights for validated input.</summary>
    public static FormulaWeights Compute(FormulaParameters formula, IReadOnlyList<ProvinceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(rows);
        return formula.Kind == FormulaParameters.PerCapitaKind
            ? PerCapita(formula.StandardYuan!.Value, rows)
            : Factor(formula.Weights!, rows);
    }

    /// <summary>w_i = resident_participants x standardYuan x central_share (yuan).</summary>
    private static FormulaWeights PerCapita(decimal standardYuan, IReadOnlyList<ProvinceRow> rows)
    {
        var (standard, standardScale) = ExactDecimal.Decompose(standardYuan);
        var products = new (BigInteger Value, int Scale)[rows.Count];
        var maxScale = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (participants, ps) = ExactDecimal.Decompose(rows[i].Values[ProvinceColumns.ResidentParticipants]);
            var (share, ss) = ExactDecimal.Decompose(rows[i].Values[ProvinceColumns.CentralShare]);
            var scale = ps + standardScale + ss;
            products[i] = (participants * standard * share, scale);
            maxScale = Math.Max(maxScale, scale);
        }

        var numerators = new BigInteger[rows.Count];
        var computations = new string[rows.Count];
        var denominator = BigInteger.Pow(10, maxScale);
        for (var i = 0; i < rows.Count; i++)
        {
            numerators[i] = products[i].Value * BigInteger.Pow(10, maxScale - products[i].Scale);
            var v = rows[i].Values;
            computations[i] = string.Create(
                CultureInfo.InvariantCulture,
                $"resident_participants x standardYuan x central_share = {v[ProvinceColumns.ResidentParticipants]} x {standardYuan} x {v[ProvinceColumns.CentralShare]} = {ExactDecimal.FormatRatio(numerators[i], denominator, maxScale)}");
        }

        return new FormulaWeights(numerators, denominator, computations);
    }

    /// <summary>w_i = sum_k weight_k x x_ik / sum_j x_jk over the weighted columns.</summary>
    private static FormulaWeights Factor(IReadOnlyDictionary<string, decimal> weights, IReadOnlyList<ProvinceRow> rows)
    {
        var columns = weights.Keys.Order(StringComparer.Ordinal).ToArray();
        var scaled = new BigInteger[columns.Length][];
        var columnTotals = new BigInteger[columns.Length];
        var termDenominators = new BigInteger[columns.Length];
        var weightNumerators = new BigInteger[columns.Length];
        var columnScales = new int[columns.Length];
        var denominator = BigInteger.One;
        for (var k = 0; k < columns.Length; k++)
        {
            var column = columns[k];
            var scale = rows.Max(r => ExactDecimal.ScaleOf(r.Values[column]));
            columnScales[k] = scale;
            scaled[k] = rows.Select(r => ExactDecimal.ToScaled(r.Values[column], scale)).ToArray();
            columnTotals[k] = scaled[k].Aggregate(BigInteger.Zero, (a, b) => a + b);
            var (weight, weightScale) = ExactDecimal.Decompose(weights[column]);
            weightNumerators[k] = weight;
            termDenominators[k] = columnTotals[k] * BigInteger.Pow(10, weightScale);
            denominator *= termDenominators[k];
        }

        var multipliers = new BigInteger[columns.Length];
        for (var k = 0; k < columns.Length; k++)
        {
            multipliers[k] = weightNumerators[k] * (denominator / termDenominators[k]);
        }

        var numerators = new BigInteger[rows.Count];
        var computations = new string[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var sum = BigInteger.Zero;
            var terms = new string[columns.Length];
            for (var k = 0; k < columns.Length; k++)
            {
                sum += multipliers[k] * scaled[k][i];
                terms[k] = string.Create(CultureInfo.InvariantCulture, $"{weights[columns[k]]} x {rows[i].Values[columns[k]]} / {ExactDecimal.FormatRatio(columnTotals[k], BigInteger.Pow(10, columnScales[k]), columnScales[k])}");
            }

            numerators[i] = sum;
            computations[i] = string.Join(" + ", terms) + " = " + ExactDecimal.FormatRatio(sum, denominator, 12);
        }

        return new FormulaWeights(numerators, denominator, computations);
    }
}
