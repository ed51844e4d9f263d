using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Programs;
using Spectre.Console;

namespace GrantFlow.Cli.Output;

/// <summary>Prints allocation results as a table (Spectre.Console), CSV (CsvHelper) or JSON.</summary>
public static class AllocationWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(AllocationResult result, OutputFormat format, TextWriter output) => WriteMany([result], format, output);

    public static void WriteMany(IReadOnlyList<AllocationResult> results, OutputFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(results);
        switch (format)
        {
            case OutputFormat.Csv:
                WriteCsv(results, output);
                break;
            case OutputFormat.Json:
                output.WriteLine(JsonSerializer.Serialize<object>(results.Count == 1 ? results[0] : results, Json));
                break;
            default:
                WriteTables(results, output);
                break;
        }
    }

    private static void WriteCsv(IReadOnlyList<AllocationResult> results, TextWriter output)
    {
        using var csv = new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var header in new[] { "province_code", "amount_yuan", "amount_wan_yuan", "floor_bound", "program", "fiscal_year", "name_en" })
        {
            csv.WriteField(header);
        }

        csv.NextRecord();
        foreach (var result in results)
        {
            foreach (var p in result.Provinces)
            {
                csv.WriteField(p.Code);
                csv.WriteField(p.AmountYuan);
                csv.WriteField(p.AmountWanYuan.ToString("0.0000", CultureInfo.InvariantCulture));
                csv.WriteField(p.Explanation.FloorBound ? "true" : "false");
                csv.WriteField(result.Program);
                csv.WriteField(result.FiscalYear);
                csv.WriteField(p.NameEn);
                csv.NextRecord();
            }
        }
    }

    private static void WriteTables(IReadOnlyList<AllocationResult> results, TextWriter output)
    {
        var console = CliConsole.For(output, minimumWidth: 140);
        foreach (var result in results)
        {
            console.Write(ProvinceTable(result));
        }

        if (results.Count > 1)
        {
            console.Write(SummaryTable(results));
        }
    }

    private static Table ProvinceTable(AllocationResult result)
    {
        var program = GrantProgramCatalog.Get(result.Program);
        var table = new Table()
            .Title($"{Markup.Escape(program.NameEn)} ({result.Program}), fiscal year {result.FiscalYear}")
            .AddColumn("Code")
            .AddColumn("Province")
            .AddColumn(new TableColumn("Amount (yuan)").RightAligned())
            .AddColumn(new TableColumn("Amount (10,000 yuan)").RightAligned())
            .AddColumn("Floor bound");
        foreach (var p in result.Provinces)
        {
            table.AddRow(
                p.Code,
                Markup.Escape($"{p.NameEn} {p.NameZh}"),
                Yuan(p.AmountYuan),
                WanYuan(p.AmountWanYuan),
                p.Explanation.FloorBound ? "yes" : "no");
        }

        table.AddEmptyRow();
        table.AddRow(
            string.Empty,
            $"Total ({result.Provinces.Count} provinces, formula {result.FormulaVersion})",
            Yuan(result.TotalYuan),
            WanYuan(result.TotalYuan / 10_000m),
            $"{result.FloorBoundCount} bound");
        table.Caption($"Envelope {Yuan(result.EnvelopeYuan)} yuan; total equals envelope: {(result.TotalYuan == result.EnvelopeYuan ? "yes" : "NO")}");
        return table;
    }

    private static Table SummaryTable(IReadOnlyList<AllocationResult> results)
    {
        var table = new Table()
            .Title("All programs")
            .AddColumn("Program")
            .AddColumn("Fiscal year")
            .AddColumn(new TableColumn("Envelope (yuan)").RightAligned())
            .AddColumn(new TableColumn("Allocated (yuan)").RightAligned())
            .AddColumn(new TableColumn("Allocated (10,000 yuan)").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(r.Program, r.FiscalYear.ToString(CultureInfo.InvariantCulture), Yuan(r.EnvelopeYuan), Yuan(r.TotalYuan), WanYuan(r.TotalYuan / 10_000m));
        }

        var total = results.Sum(r => r.TotalYuan);
        table.AddRow("[bold]Total[/]", string.Empty, Yuan(results.Sum(r => r.EnvelopeYuan)), $"[bold]{Yuan(total)}[/]", WanYuan(total / 10_000m));
        return table;
    }

    private static string Yuan(long yuan) => yuan.ToString("N0", CultureInfo.InvariantCulture);

    private static string WanYuan(decimal wan) => wan.ToString("N4", CultureInfo.InvariantCulture);
}
