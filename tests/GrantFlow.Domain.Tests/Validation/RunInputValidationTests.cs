using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Domain.Tests.Validation;

public class RunInputValidationTests
{
    private const string PerCapitaJson = """
        {"program":"resident-insurance","fiscalYear":2026,"envelopeYuan":1000000,
         "formula":{"kind":"per-capita","standardYuan":700},
         "floor":{"ratio":0.9,"basis":"prior_year_resident_subsidy_yuan"}}
        """;

    private const string Header = "province_code,name_en,name_zh,resident_participants,central_share,prior_year_resident_subsidy_yuan";

    private static IReadOnlyList<ValidationError> Errors(string json, string csv) =>
        Assert.Throws<InputValidationException>(() => RunInput.Parse(json, new StringReader(csv))).Errors;

    [Fact]
    public void Valid_input_parses()
    {
        var input = RunInput.Parse(PerCapitaJson, new StringReader(TestData.CsvText(Header, "11,Beijing,北京,10,0.1,100")));

        Assert.Equal(1_000_000, input.Parameters.EnvelopeYuan);
        Assert.Single(input.Provinces.Rows);
    }

    [Theory]
    [InlineData("program", """{"program":"resident-insurance","fiscalYear":2026,"program":"medical-assistance","envelopeYuan":1000000,"formula":{"kind":"per-capita","standardYuan":700}}""")]
    [InlineData("fiscalYear", """{"program":"resident-insurance","fiscalYear":2026,"envelopeYuan":1000000,"fiscalYear":2027,"formula":{"kind":"per-capita","standardYuan":700}}""")]
    [InlineData("formula.standardYuan", """{"program":"resident-insurance","fiscalYear":2026,"envelopeYuan":1000000,"formula":{"kind":"per-capita","standardYuan":700,"standardYuan":1}}""")]
    public void A_member_named_twice_is_refused_by_name_never_read_as_its_last_value(string member, string json)
    {
        var error = Assert.Single(Errors(json, TestData.CsvText(Header, "11,Beijing,北京,10,0.1,100")));

        Assert.Equal(member, error.Field);
        Assert.Contains("Duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_beyond_any_budget_is_refused()
    {
        var error = Assert.Single(Errors(PerCapitaJson.Replace("1000000", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), TestData.CsvText(Header, "11,Beijing,北京,10,0.1,100")));

        Assert.Equal("envelopeYuan", error.Field);
    }

    [Fact]
    public void A_missing_column_is_named()
    {
        var errors = Errors(PerCapitaJson, TestData.CsvText("province_code,name_en,name_zh,resident_participants,prior_year_resident_subsidy_yuan", "11,B,北,10,100"));

        var error = Assert.Single(errors);
        Assert.Equal("central_share", error.Field);
        Assert.Contains("missing column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_column_is_named()
    {
        var errors = Errors(PerCapitaJson, TestData.CsvText(Header + ",bogus", "11,B,北,10,0.1,100,1"));

        Assert.Equal("bogus", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_formula_weight_on_an_unknown_column_is_named()
    {
        const string json = """{"program":"medical-assistance","fiscalYear":2026,"envelopeYuan":100,"formula":{"kind":"factor","weights":{"nonsense":1}}}""";

        var errors = Errors(json, TestData.CsvText(Header, "11,B,北,10,0.1,100"));

        Assert.Contains(errors, e => e.Field == "formula.weights.nonsense");
    }

    [Theory]
    [InlineData("abc", "is not a number")]
    [InlineData("-5", "negative")]
    [InlineData("1e5", "is not a number")]
    public void Bad_numbers_are_reported_with_line_and_column(string value, string expected)
    {
        var errors = Errors(PerCapitaJson, TestData.CsvText(Header, "11,B,北,10,0.1,100", $"12,T,津,{value},0.3,100"));

        var error = Assert.Single(errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("resident_participants", error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_and_unknown_province_codes_are_reported()
    {
        var errors = Errors(PerCapitaJson, TestData.CsvText(Header, "11,B,北,10,0.1,100", "11,B,北,10,0.1,100", "99,X,无,10,0.1,100"));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Line == 3 && e.Message.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 4 && e.Message.Contains("unknown province code", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.01")]
    public void Central_share_outside_zero_to_one_is_refused(string share)
    {
        var errors = Errors(PerCapitaJson, TestData.CsvText(Header, $"11,B,北,10,{share},100"));

        Assert.Equal("central_share", Assert.Single(errors).Field);
    }

    [Fact]
    public void Central_share_of_exactly_one_is_allowed()
    {
        var input = RunInput.Parse(PerCapitaJson, new StringReader(TestData.CsvText(Header, "11,B,北,10,1,100")));

        Assert.Equal(1m, input.Provinces.Rows[0].Values["central_share"]);
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_are_refused()
    {
        const string json = """{"program":"medical-assistance","fiscalYear":2026,"envelopeYuan":100,"formula":{"kind":"factor","weights":{"assistance_recipients":0.5,"performance_score":0.4}}}""";

        var errors = Errors(json, TestData.CsvText("province_code,name_en,name_zh,assistance_recipients,performance_score", "11,B,北,10,1"));

        var error = Assert.Single(errors);
        Assert.Equal("formula.weights", error.Field);
        Assert.Contains("0.9", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void An_envelope_of_zero_or_less_is_refused(long envelope)
    {
        var json = PerCapitaJson.Replace("1000000", envelope.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal("envelopeYuan", Assert.Single(Errors(json, TestData.CsvText(Header, "11,B,北,10,0.1,100"))).Field);
    }

    [Fact]
    public void An_all_zero_factor_column_is_refused()
    {
        const string json = """{"program":"medical-assistance","fiscalYear":2026,"envelopeYuan":100,"formula":{"kind":"factor","weights":{"assistance_recipients":0.5,"performance_score":0.5}}}""";

        var errors = Errors(json, TestData.CsvText("province_code,name_en,name_zh,assistance_recipients,performance_score", "11,B,北,0,1", "12,T,津,0,2"));

        Assert.Equal("assistance_recipients", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void An_empty_file_is_refused(string csv)
    {
        Assert.Contains("empty", Assert.Single(Errors(PerCapitaJson, csv)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_rows_is_refused()
    {
        Assert.Contains("no province rows", Assert.Single(Errors(PerCapitaJson, Header + "\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_path()
    {
        var errors = Errors("""{"program":"resident-insurance","fiscalYear":"soon"}""", TestData.CsvText(Header, "11,B,北,10,0.1,100"));

        Assert.Contains(errors, e => e.Field.Contains("fiscalYear", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_program_and_formula_kind_are_refused()
    {
        const string json = """{"program":"moon-base","fiscalYear":2026,"envelopeYuan":100,"formula":{"kind":"lottery"}}""";

        var errors = Errors(json, TestData.CsvText(Header, "11,B,北,10,0.1,100"));

        Assert.Contains(errors, e => e.Field == "program");
        Assert.Contains(errors, e => e.Field == "formula.kind");
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        const string json = """{"program":"resident-insurance","fiscalYear":2026,"envelopeYuan":0,"formula":{"kind":"per-capita","standardYuan":700}}""";

        var errors = Errors(json, TestData.CsvText(Header + ",bogus", "11,B,北,x,0.1,100,1", "11,B,北,10,2,100,1"));

        Assert.Equal(5, errors.Count); // envelope, unknown column, non-numeric, duplicate code, central share
    }
}

public class RecipientCodeTests
{
    [Theory]
    [InlineData("44", true)]
    [InlineData("440103", true)]
    [InlineData("650102", true)]
    [InlineData("440000", false)]
    [InlineData("990101", false)]
    [InlineData("4401", true)]
    [InlineData("4400", false)]
    [InlineData("9901", false)]
    [InlineData("440", false)]
    [InlineData("44010A", false)]
    [InlineData("71", false)]
    public void Prefecture_and_county_codes_of_known_provinces_are_recipients(string code, bool expected) =>
        Assert.Equal(expected, GrantFlow.Domain.Programs.ProvinceCodes.IsRecipient(code));

    [Theory]
    [InlineData("4401", "44", true)]
    [InlineData("440103", "44", true)]
    [InlineData("440103", "4401", true)]
    [InlineData("440203", "4401", false)]
    [InlineData("4501", "44", false)]
    [InlineData("4402", "4401", false)]
    [InlineData("44", "44", false)]
    [InlineData("4401", "4401", false)]
    [InlineData("440103", "440103", false)]
    public void A_payer_passes_down_only_to_its_own_prefectures_and_counties(string recipient, string payer, bool expected) =>
        Assert.Equal(expected, GrantFlow.Domain.Programs.ProvinceCodes.IsBelow(recipient, payer));

    [Fact]
    public void A_prefecture_run_takes_four_digit_codes_only_and_names_the_row()
    {
        const string json = """{"program":"medical-assistance","fiscalYear":2026,"envelopeYuan":100,"formula":{"kind":"factor","weights":{"assistance_recipients":1}}}""";
        var csv = TestData.CsvText("province_code,name_en,name_zh,assistance_recipients", "4401,P1,广东01市,10", "440101,C,县,10", "4400,X,省,10", "4402,P2,广东02市,10");

        var errors = Assert.Throws<InputValidationException>(() => RunInput.Parse(json, new StringReader(csv), RecipientLevel.Prefecture)).Errors;

        Assert.Equal([3, 4], errors.Select(e => e.Line!.Value));
        Assert.All(errors, e => Assert.Equal(ErrorCodes.UnknownPrefecture, e.Code));
        Assert.Equal(RecipientLevel.Prefecture, RunInput.InferLevel(ProvinceCsvReader.Read(new StringReader(TestData.CsvText("province_code,name_en,name_zh,assistance_recipients", "4401,P1,广东01市,10")))));
    }
}
