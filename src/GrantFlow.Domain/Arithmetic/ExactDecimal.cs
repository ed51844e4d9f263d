using System.Globalization;
using System.Numerics;

namespace GrantFlow.Domain.Arithmetic;

/// <summary>
/// Exact conversions between <see cref="decimal"/> and scaled <see cref="BigInteger"/> values.
/// A decimal d is represented as Unscaled / 10^Scale with no loss.
/// </summary>
public static class ExactDecimal
{
    public static (BigInteger Unscaled, int Scale) Decompose(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = new BigInteger((uint)bits[0])
            | (new BigInteger((uint)bits[1]) << 32)
            | (new BigInteger((uint)bits[2]) << 64);
        var negative = (bits[3] & unchecked((int)0x80000000)) != 0;
        var scale = (bits[3] >> 16) & 0xFF;
        return (negative ? -magnitude : magnitude, scale);
    }

    /// <summary>The value scaled to exactly <paramref name="scale"/> decimal places (scale must not be smaller than the value's own).</summary>
    public static BigInteger ToScaled(decimal value, int scale)
    {
        var (unscaled, own) = Decompose(value);
        if (scale < own)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "Target scale would lose digits.");
        }

        return unscaled * BigInteger.Pow(10, scale - own);
    }

    public static int ScaleOf(decimal value) => Decompose(value).Scale;

    /// <summary>ceiling(a x b) for non-negative decimals, computed exactly.</summary>
    public static long CeilingOfProduct(decimal a, decimal b)
    {
        var (ua, sa) = Decompose(a);
        var (ub, sb) = Decompose(b);
        var numerator = ua * ub;
        var denominator = BigInteger.Pow(10, sa + sb);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (remainder > 0)
        {
            quotient += 1;
        }

        return checked((long)quotient);
    }

    /// <summary>numerator / denominator as a decimal string rounded half-away-from-zero to <paramref name="digits"/> places.</summary>
    public static string FormatRatio(BigInteger numerator, BigInteger denominator, int digits)
    {
        if (denominator.IsZero)
        {
            return "0";
        }

        var negative = numerator.Sign * denominator.Sign < 0;
        var n = BigInteger.Abs(numerator);
        var d = BigInteger.Abs(denominator);
        var scale = BigInteger.Pow(10, digits);
        var scaled = BigInteger.DivRem(n * scale, d, out var remainder);
        if (remainder * 2 >= d)
        {
            scaled += 1;
        }

        var integerPart = BigInteger.DivRem(scaled, scale, out var fraction);
        var text = digits == 0
            ? integerPart.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{integerPart}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}");
        return negative ? "-" + text : text;
    }

    /// <summary>numerator / denominator as a decimal rounded to <paramref name="digits"/> places (for display and JSON; never used to compute money).</summary>
    public static decimal RatioToDecimal(BigInteger numerator, BigInteger denominator, int digits) =>
        decimal.Parse(FormatRatio(numerator, denominator, digits), NumberStyles.Number, CultureInfo.InvariantCulture);
}
