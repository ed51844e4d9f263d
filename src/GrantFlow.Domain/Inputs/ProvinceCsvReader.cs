using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Inputs;

/// <summary>Reads province data from CSV text (CsvHelper). Collects every problem before failing.</summary>
public static class ProvinceCsvReader
{
    /// <summary>Longest code or name accepted (a county's name is under 20 characters).</summary>
    public const int MaxTextLength = 100;

    /// <summary>Longest numeric field accepted.</summary>
    public const int MaxNumberLength = 40;

    /// <summary>Reading stops after this many errors (a file of bad rows cannot produce an unbounded answer).</summary>
    public const int MaxErrors = 1_000;

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        TrimOptions = TrimOptions.Trim,
        DetectColumnCountChanges = false,
        MissingFieldFound = null,
        BadDataFound = null,
        IgnoreBlankLines = true,
    };

    /// <summary>Parses the CSV; throws <see cref="InputValidationException"/> listing every error.</summary>
    public static ProvinceTable Read(TextReader reader)
    {
        var (table, errors) = Parse(reader);
        return errors.Count > 0 ? throw new InputValidationException(errors) : table;
    }

    /// <summary>
    /// Parses the CSV and returns the rows it could read with every error found; a value that did not parse is
    /// absent from its row's values, so later checks can still run on the rest.
    /// </summary>
    public static (ProvinceTable Table, IReadOnlyList<ValidationError> Errors) Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new List<ValidationError>();
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read(); // the byte-order mark Excel writes at the start of "CSV UTF-8"
        }

        using var csv = new CsvReader(reader, Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header || header.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new ValidationError("provinces", null, "The province file is empty: expected a header line and one row per province.").With(ErrorCodes.FileEmpty));
            return (new ProvinceTable([], []), errors);
        }

        var columns = header.Select(h => h.Trim()).ToArray();
        if (columns.Length > ProvinceColumns.Text.Count + ProvinceColumns.Numeric.Count || columns.Any(c => c.Length > MaxTextLength))
        {
            errors.Add(new ValidationError("provinces", 1, $"the header has {columns.Length} columns or an overlong name; expected the known columns: {string.Join(", ", ProvinceColumns.Text.Concat(ProvinceColumns.Numeric))}.").With(ErrorCodes.FileHeader));
            return (new ProvinceTable([], []), errors);
        }

        CheckHeader(columns, errors);
        var rows = new List<ProvinceRow>();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var record = csv.Parser.Record ?? [];
            if (record.Length != columns.Length)
            {
                errors.Add(new ValidationError("provinces", line, $"expected {columns.Length} fields, found {record.Length}.").With(ErrorCodes.RowFieldCount, ("expected", columns.Length), ("found", record.Length)));
                continue;
            }

            rows.Add(ReadRow(line, columns, record, errors));
            if (errors.Count > MaxErrors)
            {
                errors.Add(new ValidationError("provinces", line, $"more than {MaxErrors} errors; reading stopped at line {line}.").With(ErrorCodes.TooManyErrors, ("limit", MaxErrors)));
                break;
            }
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ValidationError("provinces", null, "The province file has a header but no province rows.").With(ErrorCodes.FileNoRows));
        }

        return (new ProvinceTable(columns, rows), errors);
    }

    private static void CheckHeader(string[] columns, List<ValidationError> errors)
    {
        foreach (var required in ProvinceColumns.Text)
        {
            if (!columns.Contains(required, StringComparer.Ordinal))
            {
                errors.Add(new ValidationError(required, 1, $"missing column '{required}'.").With(ErrorCodes.ColumnMissing, ("column", required)));
            }
        }

        foreach (var duplicate in columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ValidationError(duplicate.Key, 1, $"column '{duplicate.Key}' appears {duplicate.Count()} times.").With(ErrorCodes.ColumnDuplicate, ("column", duplicate.Key), ("count", duplicate.Count())));
        }

        foreach (var column in columns.Where(c => !ProvinceColumns.IsKnown(c)))
        {
            errors.Add(new ValidationError(column, 1, $"unknown column {Identifiers.Quote(column)}; known columns: {string.Join(", ", ProvinceColumns.Text.Concat(ProvinceColumns.Numeric))}.").With(ErrorCodes.ColumnUnknown, ("column", column)));
        }
    }

    private static ProvinceRow ReadRow(int line, string[] columns, string[] record, List<ValidationError> errors)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        string code = string.Empty, nameEn = string.Empty, nameZh = string.Empty;
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var text = record[i].Trim();
            if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(column, line, "the value contains U+FFFD (text decoded in the wrong encoding); " + CsvText.SaveAsHint).With(ErrorCodes.WrongEncoding));
                continue;
            }

            if (text.Length > (ProvinceColumns.IsNumeric(column) ? MaxNumberLength : MaxTextLength))
            {
                errors.Add(new ValidationError(column, line, $"{text.Length:N0} characters; at most {(ProvinceColumns.IsNumeric(column) ? MaxNumberLength : MaxTextLength)} are accepted.").With(ErrorCodes.TooLong, ("length", text.Length), ("limit", ProvinceColumns.IsNumeric(column) ? MaxNumberLength : MaxTextLength)));
                continue;
            }

            switch (column)
            {
                case ProvinceColumns.Code:
                    code = text;
                    break;
                case ProvinceColumns.NameEn:
                    nameEn = text;
                    break;
                case ProvinceColumns.NameZh:
                    nameZh = text;
                    break;
                default:
                    if (!ProvinceColumns.IsNumeric(column))
                    {
                        break;
                    }

                    if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                    {
                        errors.Add(new ValidationError(column, line, $"{Identifiers.Quote(text)} is not a number.").With(ErrorCodes.NotANumber, ("value", text)));
                    }
                    else if (value < 0)
                    {
                        errors.Add(new ValidationError(column, line, $"{text} is negative; values must be zero or more.").With(ErrorCodes.Negative, ("value", text)));
                    }
                    else
                    {
                        values[column] = value;
                    }

                    break;
            }
        }

        return new ProvinceRow(line, code, nameEn, nameZh, values);
    }
}
