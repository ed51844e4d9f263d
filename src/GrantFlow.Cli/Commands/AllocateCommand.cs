using System.CommandLine;
using GrantFlow.Cli.Output;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Validation;

namespace GrantFlow.Cli.Commands;

/// <summary><c>grantflow allocate</c>: a what-if allocation, written nowhere but the console.</summary>
public static class AllocateCommand
{
    public static Command Create()
    {
        var paramsOption = new Option<string>("--params") { Description = "Run parameters JSON (program, fiscalYear, envelopeYuan, formula, floor)." };
        var provincesOption = new Option<string>("--provinces") { Description = "Province data CSV (columns of data/provinces-2026.csv)." };
        var formatOption = new Option<string>("--format") { Description = "table (default), csv or json.", DefaultValueFactory = _ => "table" };
        formatOption.AcceptOnlyFromAmong("table", "csv", "json");
        var exampleOption = new Option<bool>("--example") { Description = "Allocate the three 2026 programs on the bundled data." };
        var command = new Command("allocate", "Compute a what-if allocation of an envelope between provinces.")
        {
            paramsOption, provincesOption, formatOption, exampleOption,
        };
        command.Validators.Add(result =>
        {
            var example = result.GetValue(exampleOption);
            var hasParams = result.GetResult(paramsOption) is not null;
            var hasProvinces = result.GetResult(provincesOption) is not null;
            if (example && (hasParams || hasProvinces))
            {
                result.AddError("--example takes no --params or --provinces.");
            }
            else if (!example && (!hasParams || !hasProvinces))
            {
                result.AddError("allocate needs --params and --provinces (or --example).");
            }
        });
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var format = parse.GetValue(formatOption) switch { "csv" => OutputFormat.Csv, "json" => OutputFormat.Json, _ => OutputFormat.Table };
            try
            {
                if (parse.GetValue(exampleOption))
                {
                    var results = BundledData.RunParameterFiles
                        .Select(file => AllocationInputFiles.Read(file, BundledData.ProvincesCsv))
                        .Select(input => GrantAllocator.Allocate(input.Parameters, input.Provinces))
                        .ToList();
                    AllocationWriter.WriteMany(results, format, output);
                }
                else
                {
                    var input = AllocationInputFiles.Read(parse.GetValue(paramsOption)!, parse.GetValue(provincesOption)!);
                    AllocationWriter.Write(GrantAllocator.Allocate(input.Parameters, input.Provinces), format, output);
                }

                return GrantFlowCli.Success;
            }
            catch (InputValidationException ex)
            {
                error.WriteLine(ex.Message);
                return GrantFlowCli.InvalidInput;
            }
            catch (InfeasibleFloorsException ex)
            {
                error.WriteLine(ex.Message);
                return GrantFlowCli.InvalidInput;
            }
        });
        return command;
    }
}
