namespace GrantFlow.Cli.Tests;

public class AllocateCommandTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GrantFlowCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Csv_output_starts_with_code_and_amount_in_code_order()
    {
        var (exit, output, _) = await Run("allocate", "--params", Data("runs", "resident-insurance-2026.json"), "--provinces", Data("provinces-2026.csv"), "--format", "csv");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("province_code,amount_yuan,", lines[0], StringComparison.Ordinal);
        Assert.Equal(32, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Select(r => r[0]).Order(StringComparer.Ordinal), rows.Select(r => r[0]));
        Assert.Equal(386_366_000_000L, rows.Sum(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Json_output_carries_explanations()
    {
        var (exit, output, _) = await Run("allocate", "--params", Data("runs", "medical-assistance-2026.json"), "--provinces", Data("provinces-2026.csv"), "--format", "json");

        Assert.Equal(0, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var first = doc.RootElement.GetProperty("provinces")[0];
        Assert.Equal("factor/1", first.GetProperty("explanation").GetProperty("formulaVersion").GetString());
        Assert.True(first.GetProperty("amountYuan").GetInt64() > 0);
    }

    [Fact]
    public async Task The_example_shows_the_416_557_000_000_total()
    {
        var (exit, output, _) = await Run("allocate", "--example");

        Assert.Equal(0, exit);
        Assert.Contains("416,557,000,000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_exits_2_with_the_errors_on_stderr_and_nothing_on_stdout()
    {
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, "province_code,name_en,name_zh,resident_participants,central_share,prior_year_resident_subsidy_yuan\n11,B,北,lots,0.1,1\n");
        try
        {
            var (exit, output, error) = await Run("allocate", "--params", Data("runs", "resident-insurance-2026.json"), "--provinces", csv);

            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
            Assert.Contains("line 2, resident_participants", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Infeasible_floors_exit_2()
    {
        var json = Path.GetTempFileName();
        await File.WriteAllTextAsync(json, """{"program":"resident-insurance","fiscalYear":2026,"envelopeYuan":1000,"formula":{"kind":"per-capita","standardYuan":700},"floor":{"ratio":0.9,"basis":"prior_year_resident_subsidy_yuan"}}""");
        try
        {
            var (exit, output, error) = await Run("allocate", "--params", json, "--provinces", Data("provinces-2026.csv"));

            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
            Assert.Contains("floors add up to", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("allocate")]
    [InlineData("allocate", "--params", "x.json")]
    [InlineData("allocate", "--example", "--format", "yaml")]
    public async Task Incomplete_or_wrong_options_exit_2(params string[] args)
    {
        var (exit, output, error) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.NotEqual(string.Empty, error);
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var (exit, _, error) = await Run("allocate", "--params", "/nonexistent/run.json", "--provinces", Data("provinces-2026.csv"));

        Assert.Equal(2, exit);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    private static string TempFile(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), "gf-cli-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_gbk_csv_saved_by_a_Chinese_Excel_allocates_like_the_utf8_one()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = TempFile(System.Text.Encoding.GetEncoding(936).GetBytes(File.ReadAllText(Data("provinces-2026.csv"))));

        var fromGbk = await Run("allocate", "--params", Data("runs", "medical-assistance-2026.json"), "--provinces", gbk, "--format", "json");
        var fromUtf8 = await Run("allocate", "--params", Data("runs", "medical-assistance-2026.json"), "--provinces", Data("provinces-2026.csv"), "--format", "json");

        Assert.Equal(0, fromGbk.Exit);
        Assert.Equal(fromUtf8.Out, fromGbk.Out);
        Assert.Contains("北京", fromGbk.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_in_no_known_encoding_exits_2_saying_which_encoding_to_use()
    {
        var bad = TempFile([.. System.Text.Encoding.UTF8.GetBytes("province_code,name_en\n11,"), 0x81, 0x20, 0xFF, 0xFE, 0xFF]);

        var (exit, output, error) = await Run("allocate", "--params", Data("runs", "medical-assistance-2026.json"), "--provinces", bad);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("CSV UTF-8", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "empty file", "", "provinces" },
        { "header only", "province_code,name_en,name_zh,assistance_recipients,fiscal_difficulty_coefficient\n", "provinces" },
        { "county code beside provinces", "+110101,Dongcheng,东城区,1,1,1,1,1,1,1,1,1,1", "line 33" },
        { "unknown province", "+99,Nowhere,无,1,1,1,1,1,1,1,1,1,1", "line 33" },
        { "duplicate province", "+11,Beijing,北京,1,1,1,1,1,1,1,1,1,1", "duplicate" },
        { "text in a number", "~3718000~lots", "resident_participants" },
        { "negative number", "~3718000~-3718000", "negative" },
        { "overlong name", "~Beijing~" + new string('B', 500), "name_en" },
        { "overlong number", "~3718000~" + new string('9', 100), "resident_participants" },
        { "missing column", "-designated_institutions", "designated_institutions" },
        { "wrong field count", "~11,Beijing,北京,5,~11,Beijing,5,", "line 2" },
        { "mojibake", "~北京~\uFFFD\uFFFD", "encoding" },
        { "injected code", "~12,Tianjin~1' or '1'='1,Tianjin", "province code" },
        { "5000 bad rows", "*", "more." },
    };

    /// <summary>A copy of the bundled file with one change: +row appends a row, ~from~to replaces, -column drops a column, * appends 5,000 bad rows.</summary>
    private static string Variant(string change)
    {
        var csv = File.ReadAllText(Data("provinces-2026.csv"));
        return change switch
        {
            "" => string.Empty,
            ['+', .. var row] => csv.TrimEnd() + "\r\n" + row + "\r\n",
            ['~', .. var rest] when rest.Split('~') is [var from, var to] => csv.Replace(from, to, StringComparison.Ordinal),
            ['-', .. var column] => string.Join("\r\n", csv.Split("\r\n").Select(l => string.Join(',', l.Split(',').Where((_, i) => csv.Split("\r\n")[0].Split(',')[i] != column)))),
            "*" => csv + string.Concat(Enumerable.Repeat("xx,a,b,1,1,1,1,1,1,1,1,1,1\r\n", 5000)),
            _ => change,
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_province_file_exits_2_naming_the_problem_and_prints_nothing(string name, string change, string named)
    {
        var file = TempFile(System.Text.Encoding.UTF8.GetBytes(Variant(change)));

        var (exit, output, error) = await Run("allocate", "--params", Data("runs", "service-capacity-2026.json"), "--provinces", file, "--format", "csv");

        Assert.True(exit == 2, $"{name}: exit {exit}");
        Assert.Empty(output);
        Assert.Contains(named, error, StringComparison.OrdinalIgnoreCase);
        Assert.True(error.Length < 40_000, $"{name}: {error.Length} characters of errors");
    }
}
