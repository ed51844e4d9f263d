using System.Globalization;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;
using MiniExcelLibs;

namespace GrantFlow.Domain.Tests.Validation;

/// <summary>Province data kept in Excel: read from the first sheet, checked by the same rules, errors located by sheet, row and column.</summary>
public class XlsxTableTests
{
    private static readonly string Csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"));

    /// <summary>The bundled province CSV as a workbook an official would keep: numbers as numbers, codes as text, a named sheet.</summary>
    internal static byte[] Workbook(string csv, string sheet = "各省数据", Func<int, string, string, object?>? cell = null)
    {
        var lines = csv.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = new List<Dictionary<string, object?>>();
        foreach (var (line, index) in lines.Skip(1).Select((l, i) => (l, i + 2)))
        {
            var values = line.Split(',');
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length; c++)
            {
                var text = values[c];
                row[header[c]] = cell?.Invoke(index, header[c], text) ?? (c > 2 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : text);
            }

            rows.Add(row);
        }

        using var stream = new MemoryStream();
        stream.SaveAs(rows, sheetName: sheet, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    [Fact]
    public void A_workbook_reads_as_the_same_table_as_its_CSV()
    {
        var sheet = XlsxTable.Read(Workbook(Csv));
        Assert.Equal("各省数据", sheet.Sheet);
        using var fromCsv = new StringReader(Csv);
        using var fromXlsx = new StringReader(sheet.Csv);
        var expected = ProvinceCsvReader.Read(fromCsv);
        var actual = ProvinceCsvReader.Read(fromXlsx);
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        Assert.Equal(expected.Rows.Select(r => (r.Line, r.Code, r.NameZh)), actual.Rows.Select(r => (r.Line, r.Code, r.NameZh)));
        Assert.All(expected.Rows.Zip(actual.Rows), pair => Assert.Equal(pair.First.Values, pair.Second.Values)); // decimals compared by value (0.5830 = 0.583)
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.Equal("A", sheet.ColumnLetters["province_code"]);
    }

    [Fact]
    public void An_error_names_the_sheet_the_row_and_the_column()
    {
        var sheet = XlsxTable.Read(Workbook(Csv, cell: (row, column, text) => row == 5 && column == "resident_participants" ? "约三千万" : null));
        using var reader = new StringReader(sheet.Csv);
        var (_, errors) = ProvinceCsvReader.Parse(reader);
        var error = Assert.Single(sheet.Locate(errors));
        Assert.Equal(("各省数据", 5, "resident_participants", ErrorCodes.NotANumber), (error.Sheet, error.Line, error.Field, error.Code));
        Assert.Equal(sheet.ColumnLetters["resident_participants"], error.Column);
        Assert.StartsWith($"sheet '各省数据' row 5 column {error.Column}, resident_participants:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void What_is_not_a_workbook_is_refused_naming_the_field()
    {
        var notZip = Assert.Throws<InputValidationException>(() => XlsxTable.Read("province_code,name\r\n11,北京\r\n"u8, "provincesXlsx"));
        Assert.Equal(("provincesXlsx", ErrorCodes.NotAWorkbook), (notZip.Errors[0].Field, notZip.Errors[0].Code));
        var truncated = Workbook(Csv)[..2000];
        Assert.Equal(ErrorCodes.NotAWorkbook, Assert.Throws<InputValidationException>(() => XlsxTable.Read(truncated)).Errors[0].Code);
        Assert.Equal(ErrorCodes.FileTooLarge, Assert.Throws<InputValidationException>(() => XlsxTable.Read(new byte[XlsxTable.MaxBytes + 1])).Errors[0].Code);
    }
}
