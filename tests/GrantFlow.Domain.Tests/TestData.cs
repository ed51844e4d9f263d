using System.Globalization;
using System.Text;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Domain.Tests;

/// <summary>Builders for run input used across the tests.</summary>
internal static class TestData
{
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    public static RunInput Bundled(string program) =>
        RunInput.Parse(
            File.ReadAllText(Path.Combine(DataDirectory, "runs", $"{program}-2026.json")),
            new StringReader(File.ReadAllText(Path.Combine(DataDirectory, "provinces-2026.csv"))));

    public static RunParameters PerCapita(long envelope, decimal standard = 700m, FloorParameters? floor = null) => new()
    {
        Program = "resident-insurance",
        FiscalYear = 2026,
        EnvelopeYuan = envelope,
        Formula = new FormulaParameters { Kind = FormulaParameters.PerCapitaKind, StandardYuan = standard },
        Floor = floor,
    };

    public static RunParameters Factor(long envelope, params (string Column, decimal Weight)[] weights) => new()
    {
        Program = "medical-assistance",
        FiscalYear = 2026,
        EnvelopeYuan = envelope,
        Formula = new FormulaParameters
        {
            Kind = FormulaParameters.FactorKind,
            Weights = weights.ToDictionary(w => w.Column, w => w.Weight, StringComparer.Ordinal),
        },
    };

    /// <summary>A CSV with the given header and rows, parsed strictly.</summary>
    public static ProvinceTable Csv(string header, params string[] rows) =>
        ProvinceCsvReader.Read(new StringReader(CsvText(header, rows)));

    public static string CsvText(string header, params string[] rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Per-capita rows: (code, participants, central share, prior-year subsidy).</summary>
    public static ProvinceTable PerCapitaTable(params (string Code, long Participants, decimal Share, long Prior)[] rows) =>
        Csv(
            "province_code,name_en,name_zh,resident_participants,central_share,prior_year_resident_subsidy_yuan",
            rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Code},P{r.Code},省{r.Code},{r.Participants},{r.Share},{r.Prior}")).ToArray());
}
