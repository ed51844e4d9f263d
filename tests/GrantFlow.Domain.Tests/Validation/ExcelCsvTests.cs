using System.Text;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Tests.Validation;

/// <summary>The CSV files officials save from Excel: UTF-8 with and without BOM, CRLF, UTF-16, GB18030/GBK.</summary>
public class ExcelCsvTests
{
    private static readonly string Csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv")).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    }

    private static Encoding Gbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }

    public static TheoryData<string> Savings() => new() { "utf-8", "utf-8 BOM", "utf-8 BOM CRLF", "utf-16 BOM", "gb18030", "gbk CRLF" };

    private static byte[] Save(string how)
    {
        var text = how.Contains("CRLF", StringComparison.Ordinal) ? Csv.Replace("\n", "\r\n", StringComparison.Ordinal) : Csv;
        return how.Split(' ')[0] switch
        {
            "utf-8" => [.. (how.Contains("BOM", StringComparison.Ordinal) ? Encoding.UTF8.Preamble.ToArray() : []), .. Encoding.UTF8.GetBytes(text)],
            "utf-16" => [.. Encoding.Unicode.Preamble.ToArray(), .. Encoding.Unicode.GetBytes(text)],
            "gb18030" => Gb18030().GetBytes(text),
            "gbk" => Gbk().GetBytes(text),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
    }

    [Theory]
    [MemberData(nameof(Savings))]
    public void Every_way_Excel_saves_the_file_reads_the_same_with_names_intact(string how)
    {
        var (text, _) = CsvText.Decode(Save(how));
        using var reader = new StringReader(text);

        var table = ProvinceCsvReader.Read(reader);

        Assert.Equal(31, table.Rows.Count);
        Assert.Equal("北京", table.Rows[0].NameZh);
        Assert.Equal("新疆", table.Rows[^1].NameZh);
        Assert.Equal("province_code", table.Columns[0]);
    }

    [Fact]
    public void A_bom_left_in_text_is_not_part_of_the_first_column()
    {
        using var reader = new StringReader("\uFEFF" + Csv.Replace("\n", "\r\n", StringComparison.Ordinal));

        var (table, errors) = ProvinceCsvReader.Parse(reader);

        Assert.Empty(errors);
        Assert.Equal(31, table.Rows.Count);
    }

    [Fact]
    public void Bytes_that_are_no_known_encoding_are_refused_with_the_encoding_to_use()
    {
        var bytes = Encoding.UTF8.GetBytes("province_code,name_zh\n11,").Concat(new byte[] { 0x81, 0x20, 0xFF, 0xFF }).ToArray();

        var error = Assert.Throws<InputValidationException>(() => CsvText.Decode(bytes));

        Assert.Contains("CSV UTF-8", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_was_decoded_wrongly_is_refused_not_read_as_mojibake()
    {
        var mojibake = Encoding.UTF8.GetString(Gb18030().GetBytes(Csv)); // a GBK file read as UTF-8 somewhere upstream
        using var reader = new StringReader(mojibake);

        var (_, errors) = ProvinceCsvReader.Parse(reader);

        Assert.Contains(errors, e => e.Field == "name_zh" && e.Line == 2 && e.Message.Contains("encoding", StringComparison.Ordinal));
    }
}
