using System.CommandLine;
using System.Text;
using GrantFlow.Cli.Data;
using GrantFlow.Domain.Inputs;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow data counties|prefectures</c>: regenerates the illustrative county data set from the province file,
/// and the prefecture data set from the county file.
/// </summary>
public static class DataCommand
{
    public static Command Create()
    {
        var seedOption = new Option<int>("--seed") { Description = "Seed of the county weights.", DefaultValueFactory = _ => CountyDataGenerator.DefaultSeed };
        var provincesOption = new Option<string>("--provinces") { Description = "The province file whose figures the counties add up to.", DefaultValueFactory = _ => BundledData.ProvincesCsv };
        var outOption = new Option<string>("--out") { Description = "Where to write the county CSV.", DefaultValueFactory = _ => Path.Combine("data", "counties-2026.csv") };
        var counties = new Command("counties", "Generate the illustrative county data set (2,843 counties; county sums = province figures).") { seedOption, provincesOption, outOption };
        counties.SetAction(async (parse, cancellationToken) =>
        {
            using var reader = new StringReader(CsvText.Decode(await File.ReadAllBytesAsync(parse.GetValue(provincesOption)!, cancellationToken)).Text);
            var csv = CountyDataGenerator.Generate(ProvinceCsvReader.Read(reader), parse.GetValue(seedOption));
            var path = parse.GetValue(outOption)!;
            await File.WriteAllTextAsync(path, csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {csv.Count(c => c == '\n') - 1:N0} counties to {path}.");
            return GrantFlowCli.Success;
        });
        var countiesIn = new Option<string>("--counties") { Description = "The county file whose figures the prefectures add up.", DefaultValueFactory = _ => BundledData.CountiesCsv };
        var prefecturesOut = new Option<string>("--out") { Description = "Where to write the prefecture CSV.", DefaultValueFactory = _ => Path.Combine("data", "prefectures-2026.csv") };
        var prefectures = new Command("prefectures", "Derive the illustrative prefecture data set from the counties (4-digit prefixes; prefecture sums = county sums).") { countiesIn, prefecturesOut };
        prefectures.SetAction(async (parse, cancellationToken) =>
        {
            using var reader = new StringReader(CsvText.Decode(await File.ReadAllBytesAsync(parse.GetValue(countiesIn)!, cancellationToken)).Text);
            var csv = PrefectureDataGenerator.Generate(ProvinceCsvReader.Read(reader));
            var path = parse.GetValue(prefecturesOut)!;
            await File.WriteAllTextAsync(path, csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {csv.Count(c => c == '\n') - 1:N0} prefectures to {path}.");
            return GrantFlowCli.Success;
        });
        return new Command("data", "The bundled illustrative data.") { counties, prefectures };
    }
}
