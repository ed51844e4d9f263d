using System.CommandLine;
using System.Globalization;
using GrantFlow.Domain.Validation;
using GrantFlow.Hosting.Local;
using GrantFlow.Workflows;
using GrantFlow.Workflows.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow ledger query|totals|export|verify</c>: the auditor's read-only view of the ledger, over the local
/// Azurite data (or GRANTFLOW_STORAGE_CONNECTION_STRING), with the same services as the HTTP API.
/// </summary>
public static class LedgerCommand
{
    private static readonly Option<string> DataOption = new("--data-dir") { Description = "Azurite data of the local host.", DefaultValueFactory = _ => Path.Combine(".grantflow", "azurite") };
    private static readonly Option<int> YearOption = new("--year") { Description = "Fiscal year.", Required = true };
    private static readonly Option<string?> ProgramOption = new("--program") { Description = "Program id." };
    private static readonly Option<string?> ProvinceOption = new("--province") { Description = "Province code." };
    private static readonly Option<string?> RunOption = new("--run") { Description = "Run id." };
    private static readonly Option<string?> KindOption = new("--kind") { Description = "advance, settlement-topup, settlement-recovery or reversal." };
    private static readonly Option<DateTimeOffset?> FromOption = new("--from") { Description = "Recorded at or after (ISO 8601)." };
    private static readonly Option<DateTimeOffset?> ToOption = new("--to") { Description = "Recorded before (ISO 8601)." };

    public static Command Create()
    {
        var query = new Command("query", "List ledger entries.") { DataOption, YearOption, ProgramOption, ProvinceOption, RunOption, KindOption, FromOption, ToOption };
        query.SetAction((parse, ct) => WithServicesAsync(parse, async (services, console) =>
        {
            var table = new Table().AddColumns("Run", "#", "Program", "Province", "Kind", "Amount (yuan)", "Amount (10,000 yuan)", "Notice", "Hash");
            var count = 0;
            long total = 0;
            await foreach (var e in services.GetRequiredService<LedgerQueryService>().AllAsync(QueryOf(parse), ct))
            {
                table.AddRow(e.RunId[..8], e.Sequence.ToString(CultureInfo.InvariantCulture), e.Program, e.ProvinceCode, e.Kind, Yuan(e.AmountYuan), Wan(e.AmountYuan), e.NoticeNumber, e.Hash[..12]);
                count++;
                total += e.AmountYuan;
            }

            table.Caption($"{count} entries, {Yuan(total)} yuan");
            console.Write(table);
            return GrantFlowCli.Success;
        }, ct));

        var totals = new Command("totals", "Totals by program, province and kind.") { DataOption, YearOption, ProgramOption, ProvinceOption, RunOption, KindOption, FromOption, ToOption };
        totals.SetAction((parse, ct) => WithServicesAsync(parse, async (services, console) =>
        {
            var rows = await services.GetRequiredService<LedgerQueryService>().TotalsAsync(QueryOf(parse), ct);
            // Gross by kind (as stored, positive) beside the signed net: recoveries and reversals count negative.
            var table = new Table().AddColumns("Year", "Program", "Province", "Kind", "Entries", "Gross (yuan)", "Net (yuan)", "Net (10,000 yuan)");
            foreach (var t in rows)
            {
                table.AddRow(t.FiscalYear.ToString(CultureInfo.InvariantCulture), t.Program, t.ProvinceCode, t.Kind, t.Entries.ToString(CultureInfo.InvariantCulture), Yuan(t.AmountYuan), Yuan(t.NetYuan), Wan(t.NetYuan));
            }

            foreach (var program in rows.GroupBy(r => r.Program))
            {
                table.AddRow(string.Empty, $"[bold]{program.Key}[/]", string.Empty, "net", program.Sum(r => r.Entries).ToString(CultureInfo.InvariantCulture), string.Empty, $"[bold]{Yuan(program.Sum(r => r.NetYuan))}[/]", Wan(program.Sum(r => r.NetYuan)));
            }

            table.Caption($"All programs, net: {Yuan(rows.Sum(r => r.NetYuan))} yuan");
            console.Write(table);
            if (parse.GetValue(ProvinceOption) is null && parse.GetValue(RunOption) is null && parse.GetValue(KindOption) is null && parse.GetValue(FromOption) is null && parse.GetValue(ToOption) is null)
            {
                await WriteStandingsAsync(services, parse.GetValue(YearOption), parse.GetValue(ProgramOption), parse.InvocationConfiguration.Output, ct);
            }

            return GrantFlowCli.Success;
        }, ct));

        var outOption = new Option<string>("--out") { Description = "File to write: .csv or .xlsx.", Required = true };
        var export = new Command("export", "Export a query to CSV (UTF-8 with BOM) or XLSX.") { DataOption, YearOption, ProgramOption, ProvinceOption, RunOption, KindOption, FromOption, ToOption, outOption };
        export.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(outOption)!;
            if (!Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) && !Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                // Refused before anything starts: the file's kind comes from its name.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--out: '{path}' must end in .csv or .xlsx.");
                return GrantFlowCli.InvalidInput;
            }

            return await WithServicesAsync(parse, async (services, console) =>
            {
                var exporter = services.GetRequiredService<LedgerExport>();
                var bytes = Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase)
                    ? await exporter.XlsxAsync(QueryOf(parse), ct)
                    : await exporter.CsvAsync(QueryOf(parse), ct);
                var written = await WriteFileAsync(path, bytes, ct);
                console.MarkupLine($"Wrote {Markup.Escape(written)} ({bytes.Length:N0} bytes).");
                return GrantFlowCli.Success;
            }, ct);
        });

        var verifyYear = new Option<int?>("--year") { Description = "Only runs of this fiscal year." };
        var verify = new Command("verify", "Verify the hash chains, positions, amounts and anchors (a run, a year, or everything).") { DataOption, RunOption, verifyYear };
        verify.SetAction((parse, ct) => WithServicesAsync(parse, async (services, console) =>
        {
            var audit = services.GetRequiredService<LedgerAuditService>();
            IReadOnlyList<Domain.Ledger.LedgerVerification> results = parse.GetValue(RunOption) is { } runId
                ? (await audit.VerifyRunAsync(runId, ct) is { } one ? [one] : throw new InputValidationException([new ValidationError("run", null, $"run {runId} does not exist.")]))
                : await audit.VerifyAllAsync(parse.GetValue(verifyYear), ct);
            var table = new Table().AddColumns("Run", "Entries", "Head hash", "Result");
            foreach (var r in results)
            {
                table.AddRow(r.RunId, r.EntriesChecked.ToString(CultureInfo.InvariantCulture), r.RecomputedHeadHash[..16], r.Intact ? "[green]intact[/]" : $"[red]{r.Problems.Count} problem(s)[/]");
            }

            console.Write(table);
            foreach (var problem in results.SelectMany(r => r.Problems.Select(p => (r.RunId, p))))
            {
                console.MarkupLine($"[red]{Markup.Escape(problem.RunId[..8])} row {Markup.Escape(problem.p.RowKey)} [[{problem.p.Kind}]][/] {Markup.Escape(problem.p.Message)}");
            }

            return results.All(r => r.Intact) ? GrantFlowCli.Success : GrantFlowCli.Failure;
        }, ct));

        var monthOption = new Option<string>("--month") { Description = "Month of the report, yyyy-MM.", Required = true };
        var reportOut = new Option<string?>("--out") { Description = "Also write the report as CSV to this file." };
        var report = new Command("report", "Monthly fund report: advanced, settled, outstanding, notices acknowledged, per program and province.") { DataOption, YearOption, monthOption, reportOut };
        report.SetAction((parse, ct) => WithServicesAsync(parse, async (services, console) =>
        {
            if (!DateTime.TryParseExact(parse.GetValue(monthOption), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                throw new InputValidationException([new ValidationError("month", null, "expected yyyy-MM.")]);
            }

            var lines = await services.GetRequiredService<Workflows.Reports.MonthlyFundReport>().BuildAsync(parse.GetValue(YearOption), month.Year, month.Month, ct);
            var table = new Table().AddColumns("Program", "Province", "Advanced", "Top-ups", "Recoveries", "Net (yuan)", "Outstanding", "Acknowledged", "Unacknowledged");
            foreach (var l in lines)
            {
                table.AddRow(l.Program, l.ProvinceCode, Yuan(l.AdvancedYuan), Yuan(l.TopUpsYuan), Yuan(l.RecoveriesYuan), Yuan(l.NetYuan), Yuan(l.OutstandingYuan),
                    l.NoticesAcknowledged.ToString(CultureInfo.InvariantCulture), l.NoticesUnacknowledged.ToString(CultureInfo.InvariantCulture));
            }

            table.Caption($"Fiscal year {parse.GetValue(YearOption)}, as of the end of {month:yyyy-MM}: net {Yuan(lines.Sum(l => l.NetYuan))} yuan, outstanding {Yuan(lines.Sum(l => l.OutstandingYuan))} yuan");
            console.Write(table);
            await WriteStandingsAsync(services, parse.GetValue(YearOption), null, parse.InvocationConfiguration.Output, ct);
            if (parse.GetValue(reportOut) is { } path)
            {
                console.MarkupLine($"Wrote {Markup.Escape(await WriteFileAsync(path, Workflows.Reports.MonthlyFundReport.ToCsv(lines), ct))}.");
            }

            return GrantFlowCli.Success;
        }, ct));

        return new Command("ledger", "Read, export and verify the allocation ledger, and report on it (auditors; changes nothing).") { query, totals, export, verify, report };
    }

    /// <summary>Each program of the year against its plan (the advance-ratio rule), as <c>plans list</c> prints it.</summary>
    private static async Task WriteStandingsAsync(IServiceProvider services, int year, string? program, TextWriter output, CancellationToken cancellationToken)
    {
        var standings = await services.GetRequiredService<Workflows.Plans.PlanService>().StandingsAsync(year, program, cancellationToken: cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Against the plans of {year} (expected, advanced and its ratio, '!' below the minimum):"));
        Remote.ApiCommands.WriteStandings([.. standings.Select(Contracts.PlanStandingLine.From)], output);
    }

    private static LedgerQuery QueryOf(ParseResult parse) => new(
        parse.GetValue(YearOption), parse.GetValue(ProgramOption), parse.GetValue(ProvinceOption), parse.GetValue(RunOption),
        parse.GetValue(KindOption), parse.GetValue(FromOption), parse.GetValue(ToOption));

    private static async Task<int> WithServicesAsync(ParseResult parse, Func<IServiceProvider, IAnsiConsole, Task<int>> action, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var console = GrantFlow.Cli.Output.CliConsole.For(output);
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        if (parse.GetResult(YearOption) is not null && QueryOf(parse).Validate() is { Count: > 0 } errors)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(new InputValidationException(errors).Message);
            return GrantFlowCli.InvalidInput;
        }

        AzuriteServer? azurite = null;
        var connectionString = Environment.GetEnvironmentVariable(EmbeddedEnvironment.ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            azurite = await AzuriteServer.StartAsync(Path.GetFullPath(parse.GetValue(DataOption)!), output, cancellationToken);
            connectionString = azurite.ConnectionString;
        }

        try
        {
            var services = new ServiceCollection();
            services.AddSingleton(TimeProvider.System);
            services.AddGrantFlowWorkflows(new ConfigurationBuilder().Build(), connectionString);
            await using var provider = services.BuildServiceProvider();
            return await action(provider, console);
        }
        catch (InputValidationException ex)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
            return GrantFlowCli.InvalidInput;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Writes a file exactly where the user said (relative to the current folder), creating its folder; written to a
    /// temporary file first and then moved, so an interrupted export never leaves half a file. A path that cannot be
    /// written is invalid input (exit code 2), not a stack trace. Returns the full path written.
    /// </summary>
    private static async Task<string> WriteFileAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var partial = full + ".partial";
            await File.WriteAllBytesAsync(partial, bytes, cancellationToken);
            File.Move(partial, full, overwrite: true);
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputValidationException([new ValidationError("out", null, $"cannot write '{full}': {ex.Message}")]);
        }
    }

    private static string Yuan(long yuan) => yuan.ToString("N0", CultureInfo.InvariantCulture);

    private static string Wan(long yuan) => (yuan / 10_000m).ToString("N4", CultureInfo.InvariantCulture);
}
