using System.Globalization;
using System.Numerics;

namespace GrantFlow.Domain.Arithmetic;

/// <summary>
/// Exact conversions between <see cref="decimal"/> and scaled <see cref="BigInteger"/> values.
/// A decimal d is represented as Unscaled / 10^Scale with no loss.
/// </summary>
public static class ExactDecimal
{
    /// <summary>Powers of ten that fit in 128 bits: 10^0 .. 10^38.</summary>
    private static readonly Int128[] Pow10Table = Enumerable.Range(0, 39).Select(k => (Int128)BigInteger.Pow(10, k)).ToArray();

    /// <summary>10^k as a 128-bit integer (k from 0 to 38).</summary>
    public static Int128 Pow10(int k) => Pow10Table[k];

    /// <summary>
    /// The decimal as unscaled / 10^scale when its 96-bit mantissa fits in a long (the fast path's inputs); false for
    /// larger mantissas, which take the BigInteger path.
    /// </summary>
    public static bool TryDecomposeSmall(decimal value, out long unscaled, out int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] != 0 || bits[1] < 0)
        {
            unscaled = 0;
            return false;
        }

        var magnitude = ((long)bits[1] << 32) | (uint)bits[0];
        unscaled = (bits[3] & unchecked((int)0x80000000)) != 0 ? -magnitude : magnitude;
        return true;
    }

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

    /// <summary>ceiling(a x b) for non-negative decimals, computed exactly (128-bit when the mantissas fit, else BigInteger).</summary>
    public static long CeilingOfProduct(decimal a, decimal b)
    {
        if (TryDecomposeSmall(a, out var sa64, out var sa0) && TryDecomposeSmall(b, out var sb64, out var sb0) && sa0 + sb0 <= 38 && sa64 >= 0 && sb64 >= 0)
        {
            var product = (Int128)sa64 * sb64; // < 2^126: cannot overflow
            var (q, r) = Int128.DivRem(product, Pow10Table[sa0 + sb0]);
            return checked((long)(r > 0 ? q + 1 : q));
        }

        return CeilingOfProductBig(a, b);
    }

    private static long CeilingOfProductBig(decimal a, decimal b)
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

    /// <summary>
    /// numerator / denominator (non-negative, 128-bit) as a decimal rounded half away from zero to
    /// <paramref name="digits"/> places, without BigInteger or text when the quotient fits; else the BigInteger path.
    /// </summary>
    public static decimal RatioToDecimal(Int128 numerator, Int128 denominator, int digits)
    {
        if (denominator > 0 && numerator >= 0 && digits <= 12)
        {
            var whole = Int128.DivRem(numerator, denominator);
            var scale = Pow10Table[digits];
            if (whole.Remainder <= Int128.MaxValue / scale && whole.Quotient < (Int128)long.MaxValue / 10_000)
            {
                var fraction = Int128.DivRem(whole.Remainder * scale, denominator);
                var total = (whole.Quotient * scale) + fraction.Quotient + (fraction.Remainder * 2 >= denominator ? 1 : 0); // < 2^96
                return new decimal((int)(uint)total, (int)(uint)(total >> 32), (int)(uint)(total >> 64), isNegative: false, (byte)digits); // as the text path: exactly digits places
            }
        }

        return RatioToDecimal((BigInteger)numerator, (BigInteger)denominator, digits);
    }

    /// <summary>numerator / denominator as a decimal rounded to <paramref name="digits"/> places (for display and JSON; never used to compute money).</summary>
    public static decimal RatioToDecimal(BigInteger numerator, BigInteger denominator, int digits) =>
        decimal.Parse(FormatRatio(numerator, denominator, digits), NumberStyles.Number, CultureInfo.InvariantCulture);
}
