using System.Globalization;
using CsvHelper;
using GrantFlow.Domain.Validation;
using MiniExcelLibs;

namespace GrantFlow.Domain.Inputs;

/// <summary>The first sheet of a workbook as the CSV text the readers take, with where each column sits in the sheet.</summary>
/// <param name="Sheet">The sheet's name, as Excel shows it on its tab.</param>
/// <param name="Csv">The sheet as CSV: line N is the sheet's row N, so a CSV line number is the Excel row number.</param>
/// <param name="ColumnLetters">Header name to column letter ("insured_residents" -> "D").</param>
public sealed record XlsxSheet(string Sheet, string Csv, IReadOnlyDictionary<string, string> ColumnLetters)
{
    /// <summary>The errors found in the CSV, located in the sheet: sheet name, row (the line) and column letter; others unchanged.</summary>
    public IReadOnlyList<ValidationError> Locate(IEnumerable<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return [.. errors.Select(e => e.Line is not null || ColumnLetters.ContainsKey(e.Field) || e.Code is ErrorCodes.ColumnMissing or ErrorCodes.FileNoRows
            ? e with { Sheet = Sheet, Column = ColumnLetters.TryGetValue(e.Field, out var letter) ? letter : null }
            : e)]; // an error in the run's parameters is not in the sheet
    }
}

/// <summary>
/// Reads an Excel workbook (.xlsx) the way officials keep province and county data: the first sheet, a header row,
/// one row per recipient. Numbers are written as Excel holds them (invariant, shortest round trip), text as typed;
/// blank rows stay where they are so row numbers in errors are the sheet's own. Bounded: file size, rows, columns and
/// cell length (an .xlsx is a zip: a small file could expand without end).
/// </summary>
public static class XlsxTable
{
    public const int MaxBytes = 16 * 1024 * 1024;
    public const int MaxRows = 10_000;
    public const int MaxColumns = 50;

    /// <summary>Reads the workbook's first sheet; a file that is not a workbook, or too large, is an error naming <paramref name="field"/>.</summary>
    public static XlsxSheet Read(ReadOnlySpan<byte> bytes, string field = "provinces")
        => ReadFirstSheet(bytes, field);

    /// <summary>Reads a workbook sent as base64 text (a JSON field), refusing text that is not base64.</summary>
    public static XlsxSheet ReadBase64(string base64, string field)
    {
        ArgumentNullException.ThrowIfNull(base64);
        if (base64.Length > (MaxBytes / 3 * 4) + 4)
        {
            throw Invalid(field, $"the workbook is more than {MaxBytes:N0} bytes.", ErrorCodes.FileTooLarge, ("bytes", base64.Length / 4 * 3), ("limit", MaxBytes));
        }

        var bytes = new byte[base64.Length / 4 * 3 + 3];
        return System.Convert.TryFromBase64String(base64, bytes, out var written)
            ? ReadFirstSheet(bytes.AsSpan(0, written), field)
            : throw Invalid(field, "the workbook is not base64 text.", ErrorCodes.NotAWorkbook);
    }

    private static XlsxSheet ReadFirstSheet(ReadOnlySpan<byte> bytes, string field)
    {
        if (bytes.Length > MaxBytes)
        {
            throw Invalid(field, $"the workbook is {bytes.Length:N0} bytes; at most {MaxBytes:N0}.", ErrorCodes.FileTooLarge, ("bytes", bytes.Length), ("limit", MaxBytes));
        }

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        try
        {
            var sheet = MiniExcel.GetSheetNames(stream).FirstOrDefault()
                ?? throw Invalid(field, "the workbook has no sheet.", ErrorCodes.FileEmpty);
            stream.Position = 0;
            return Convert(stream, sheet, field);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Xml.XmlException or NotSupportedException or IndexOutOfRangeException or ArgumentException or FormatException)
        {
            throw Invalid(field, $"the file is not an Excel workbook (.xlsx) that can be read: {ex.Message}", ErrorCodes.NotAWorkbook);
        }
    }

    private static XlsxSheet Convert(Stream stream, string sheet, string field)
    {
        var letters = new Dictionary<string, string>(StringComparer.Ordinal);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true))
        {
            var row = 0;
            foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet, excelType: ExcelType.XLSX))
            {
                if (++row > MaxRows)
                {
                    throw Invalid(field, $"sheet '{sheet}' has more than {MaxRows:N0} rows.", ErrorCodes.FileTooLarge, ("rows", row), ("limit", MaxRows));
                }

                if (cells.Count > MaxColumns && cells.Skip(MaxColumns).Any(c => !IsBlank(c.Value)))
                {
                    throw Invalid(field, $"sheet '{sheet}' row {row} has values beyond column {MaxColumns}.", ErrorCodes.FileTooLarge, ("columns", cells.Count), ("limit", MaxColumns));
                }

                var values = cells.Take(MaxColumns).Select(c => Text(c.Value)).ToList();
                while (values.Count > 0 && values[^1].Length == 0)
                {
                    values.RemoveAt(values.Count - 1);
                }

                if (row == 1)
                {
                    foreach (var (name, letter) in values.Zip(cells.Keys))
                    {
                        letters.TryAdd(name.Trim(), letter);
                    }
                }

                foreach (var value in values)
                {
                    csv.WriteField(value);
                }

                csv.NextRecord();
            }
        }

        return new XlsxSheet(sheet, writer.ToString(), letters);
    }

    private static bool IsBlank(object? value) => value is null || (value is string s && s.Length == 0);

    /// <summary>A cell as text: numbers invariant and round-trippable (no thousands separators, no exponent for whole numbers), text as typed.</summary>
    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static InputValidationException Invalid(string field, string message, string code, params (string Name, object? Value)[] args) =>
        new([new ValidationError(field, null, message).With(code, args)]);
}
