using System.Globalization;
using System.Numerics;
using GrantFlow.Domain.Arithmetic;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Domain.Allocation;

/// <summary>
/// Exact formula weights: weight_i = numerator_i / Denominator, with one denominator for the whole run.
/// When every numerator and their sum fit in a long (decided per run from the inputs' magnitudes), they are kept as
/// <see cref="SmallNumerators"/> and the split runs in exact 128-bit arithmetic; otherwise as BigIntegers. The
/// arithmetic an auditor can redo by hand is rendered by <see cref="Computation"/> only when someone reads it.
/// </summary>
public sealed class FormulaWeights
{
    public const string PerCapitaVersion = "per-capita/1";
    public const string FactorVersion = "factor/1";

    private readonly Func<FormulaWeights, int, string> _computation;
    private BigInteger[]? _numerators;

    private FormulaWeights(long[]? small, BigInteger[]? numerators, BigInteger denominator, Func<FormulaWeights, int, string> computation)
    {
        SmallNumerators = small;
        _numerators = numerators;
        Denominator = denominator;
        _computation = computation;
    }

    /// <summary>Every numerator, when each and their sum fit in a long (the 128-bit path); null otherwise.</summary>
    public long[]? SmallNumerators { get; }

    /// <summary>Every numerator as a BigInteger (made from <see cref="SmallNumerators"/> on first use when those exist).</summary>
    public BigInteger[] Numerators => _numerators ??= Array.ConvertAll(SmallNumerators!, v => new BigInteger(v));

    public BigInteger Denominator { get; }

    /// <summary>Recipients: the number of weights.</summary>
    public int Count => SmallNumerators?.Length ?? _numerators!.Length;

    /// <summary>The arithmetic behind weight i, as text ("1000 x 700 x 0.1 = 70000.000000").</summary>
    public string Computation(int index) => _computation(this, index);

    public bool AllZero => SmallNumerators is { } small ? Array.TrueForAll(small, w => w == 0) : Array.TrueForAll(_numerators!, w => w.IsZero);

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
        if (formula.Kind != FormulaParameters.PerCapitaKind)
        {
            return Factor(formula.Weights!, rows);
        }

        return PerCapitaSmall(formula.StandardYuan!.Value, rows) ?? PerCapita(formula.StandardYuan!.Value, rows, forceBig: false);
    }

    /// <summary>The BigInteger path whatever the magnitudes (the reference the fast path is tested against).</summary>
    public static FormulaWeights ComputeWithBigIntegers(FormulaParameters formula, IReadOnlyList<ProvinceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(rows);
        return formula.Kind == FormulaParameters.PerCapitaKind
            ? PerCapita(formula.StandardYuan!.Value, rows, forceBig: true)
            : Factor(formula.Weights!, rows, forceBig: true);
    }

    /// <summary>
    /// w_i = resident_participants x standardYuan x central_share in 128-bit integers, or null when a mantissa, a
    /// product, a scale or the sum does not fit (then the BigInteger path computes the same numbers).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static FormulaWeights? PerCapitaSmall(decimal standardYuan, IReadOnlyList<ProvinceRow> rows)
    {
        if (!ExactDecimal.TryDecomposeSmall(standardYuan, out var standard, out var standardScale) || standard < 0)
        {
            return null;
        }

        var products = new Int128[rows.Count];
        var scales = new byte[rows.Count];
        var maxScale = 0;
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var values = rows[i].Values;
                if (!ExactDecimal.TryDecomposeSmall(values[ProvinceColumns.ResidentParticipants], out var participants, out var ps)
                    || !ExactDecimal.TryDecomposeSmall(values[ProvinceColumns.CentralShare], out var share, out var ss))
                {
                    return null;
                }

                products[i] = checked((Int128)participants * standard * share);
                var scale = ps + standardScale + ss;
                scales[i] = (byte)scale;
                maxScale = Math.Max(maxScale, scale);
            }

            if (maxScale > 38)
            {
                return null;
            }

            var numerators = new long[rows.Count];
            long sum = 0;
            for (var i = 0; i < rows.Count; i++)
            {
                var scaled = checked(products[i] * ExactDecimal.Pow10(maxScale - scales[i]));
                numerators[i] = checked((long)scaled);
                sum = checked(sum + numerators[i]);
            }

            return new FormulaWeights(numerators, null, BigInteger.Pow(10, maxScale), (w, i) => PerCapitaText(rows[i], standardYuan, w.Numerators[i], w.Denominator, maxScale));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string PerCapitaText(ProvinceRow row, decimal standardYuan, BigInteger numerator, BigInteger denominator, int scale) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"resident_participants x standardYuan x central_share = {row.Values[ProvinceColumns.ResidentParticipants]} x {standardYuan} x {row.Values[ProvinceColumns.CentralShare]} = {ExactDecimal.FormatRatio(numerator, denominator, scale)}");

    /// <summary>w_i = resident_participants x standardYuan x central_share (yuan).</summary>
    private static FormulaWeights PerCapita(decimal standardYuan, IReadOnlyList<ProvinceRow> rows, bool forceBig)
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
        var denominator = BigInteger.Pow(10, maxScale);
        for (var i = 0; i < rows.Count; i++)
        {
            numerators[i] = products[i].Value * BigInteger.Pow(10, maxScale - products[i].Scale);
        }

        return new FormulaWeights(forceBig ? null : Small(numerators), numerators, denominator, (w, i) => PerCapitaText(rows[i], standardYuan, w.Numerators[i], w.Denominator, maxScale));
    }

    /// <summary>The numerators as longs when each and their sum fit in one, else null.</summary>
    private static long[]? Small(BigInteger[] numerators)
    {
        var small = new long[numerators.Length];
        var sum = BigInteger.Zero;
        for (var i = 0; i < numerators.Length; i++)
        {
            if (numerators[i].Sign < 0 || numerators[i] > long.MaxValue)
            {
                return null;
            }

            small[i] = (long)numerators[i];
            sum += numerators[i];
        }

        return sum <= long.MaxValue ? small : null;
    }

    /// <summary>w_i = sum_k weight_k x x_ik / sum_j x_jk over the weighted columns.</summary>
    private static FormulaWeights Factor(IReadOnlyDictionary<string, decimal> weights, IReadOnlyList<ProvinceRow> rows, bool forceBig = false)
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
        for (var i = 0; i < rows.Count; i++)
        {
            var sum = BigInteger.Zero;
            for (var k = 0; k < columns.Length; k++)
            {
                sum += multipliers[k] * scaled[k][i];
            }

            numerators[i] = sum;
        }

        string Text(FormulaWeights w, int i) =>
            string.Join(" + ", columns.Select((column, k) => string.Create(
                CultureInfo.InvariantCulture,
                $"{weights[column]} x {rows[i].Values[column]} / {ExactDecimal.FormatRatio(columnTotals[k], BigInteger.Pow(10, columnScales[k]), columnScales[k])}")))
            + " = " + ExactDecimal.FormatRatio(w.Numerators[i], w.Denominator, 12);

        return new FormulaWeights(forceBig ? null : Small(numerators), numerators, denominator, Text);
    }
}
