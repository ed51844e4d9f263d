using System.Text;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Inputs;

/// <summary>
/// Turns the bytes of a CSV file as officials save it from Excel into text: UTF-8 with or without a byte-order mark,
/// UTF-16 with its mark, or GB18030 (which includes GBK and GB2312: what a Chinese-locale Excel writes as plain
/// "CSV"). Never guesses silently into mojibake: bytes that are neither valid UTF-8 nor valid GB18030 are refused with
/// a message that says which encoding to save in.
/// </summary>
public static class CsvText
{
    public const string SaveAsHint = "save the file from Excel as \"CSV UTF-8 (comma delimited)\" (or as CSV in the GB18030/GBK encoding).";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of the file, and the encoding it was read in.</summary>
    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes, string field = "provinces")
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            return (Strict(StrictUtf8, bytes[3..], "UTF-8 (with BOM)", field), "UTF-8 (BOM)");
        }

        if (bytes.StartsWith(Encoding.Unicode.Preamble))
        {
            return (Strict(new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), bytes[2..], "UTF-16", field), "UTF-16LE");
        }

        if (bytes.StartsWith(Encoding.BigEndianUnicode.Preamble))
        {
            return (Strict(new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), bytes[2..], "UTF-16", field), "UTF-16BE");
        }

        try
        {
            return (StrictUtf8.GetString(bytes), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: a Chinese-locale Excel writes GB18030/GBK.
        }

        return (Strict(Gb18030(), bytes, "GB18030", field), "GB18030");
    }

    /// <summary>Text already decoded (e.g. a JSON string): refuses the replacement character a wrong decoding leaves.</summary>
    public static void EnsureNotMojibake(string text, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            errors.Add(new ValidationError(field, null, "the text contains U+FFFD (a character lost by decoding the file in the wrong encoding); " + SaveAsHint).With(ErrorCodes.WrongEncoding));
        }
    }

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    private static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes, string name, string field)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InputValidationException([new ValidationError(field, null, $"the file is neither valid UTF-8 nor valid {name}; " + SaveAsHint).With(ErrorCodes.FileEncoding)]);
        }
    }
}
