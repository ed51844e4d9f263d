using System.CommandLine;
using System.Globalization;
using GrantFlow.Contracts;
using GrantFlow.Domain.Plans;

namespace GrantFlow.Cli.Remote;

/// <summary><c>grantflow plans set|show|list</c>: program-years' expected amounts (the advance-ratio rule), through the API.</summary>
public static partial class ApiCommands
{
    public static Command Plans()
    {
        var programOption = new Option<string>("--program") { Description = "Program id.", Required = true };
        var yearOption = new Option<int>("--year") { Description = "Fiscal year.", Required = true };
        var expectedOption = new Option<long>("--expected") { Description = "The year's expected amount, in yuan.", Required = true };
        var kindOption = new Option<string?>("--kind") { Description = "general (advance at least 90%) or special (at least 70%); default: the program's kind in the catalog." };
        var reasonOption = new Option<string?>("--reason") { Description = "Why (required to change a figure)." };

        var set = new Command("set", "Set a program-year's expected amount (finance officer); the same figures again change nothing.") { programOption, yearOption, expectedOption, kindOption, reasonOption };
        ServerOptions.AddTo(set);
        set.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.PutAsync(PlanPath(parse.GetValue(programOption)!, parse.GetValue(yearOption)), new SetPlanBody(parse.GetValue(expectedOption), parse.GetValue(kindOption), parse.GetValue(reasonOption)), token),
            (answer, output) =>
            {
                var plan = answer.Read<ProgramYearPlan>();
                var minimum = plan.Assess(0);
                output.WriteLine($"{plan.Program} {plan.FiscalYear}: version {plan.Version}{(answer.Status == System.Net.HttpStatusCode.OK ? " (unchanged)" : string.Empty)}, {plan.TransferKind} transfer, expected {plan.ExpectedYuan:N0} yuan; an advance releases at least {minimum.MinimumPercent}% ({minimum.MinimumAdvanceYuan:N0} yuan)");
            },
            ct));

        var show = new Command("show", "A program-year's plan with every version and the chain check.") { programOption, yearOption };
        ServerOptions.AddTo(show);
        show.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.GetAsync(PlanPath(parse.GetValue(programOption)!, parse.GetValue(yearOption)), token),
            (answer, output) =>
            {
                var plan = answer.Read<PlanAnswer>();
                foreach (var v in plan.Versions)
                {
                    output.WriteLine($"v{v.Version} {v.SetAt:yyyy-MM-dd HH:mm} {v.SetBy}: {v.TransferKind}, expected {v.ExpectedYuan:N0} yuan{(v.Reason is { } why ? " - " + why : string.Empty)}  [{v.Hash[..12]}]");
                }

                output.WriteLine(plan.Intact ? "chain intact" : "CHAIN BROKEN: " + string.Join("; ", plan.Problems));
            },
            ct));

        var listYear = new Option<int>("--year") { Description = "Fiscal year.", Required = true };
        var list = new Command("list", "Each program of a year against its plan: expected, advanced, ratio, remainder, settled, outstanding.") { listYear };
        ServerOptions.AddTo(list);
        list.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Plans) + string.Create(CultureInfo.InvariantCulture, $"?fiscalYear={parse.GetValue(listYear)}"), token),
            (answer, output) => WriteStandings(answer.Read<List<PlanStandingLine>>(), output),
            ct));

        return new Command("plans", "Program-years' expected amounts and the advance-ratio rule, through the GrantFlow API.") { set, show, list };
    }

    /// <summary>One line per program: expected, advanced and its ratio (with "!" below the minimum), remainder, settled, outstanding.</summary>
    internal static void WriteStandings(IReadOnlyList<PlanStandingLine> lines, TextWriter output)
    {
        output.WriteLine($"{"program",-32} {"kind",-8} {"expected",20} {"advanced",20} {"ratio",8} {"remainder",18} {"settled",16} {"outstanding",18}");
        foreach (var l in lines)
        {
            var ratio = l.AdvancePercent is { } p ? p + (l.MeetsMinimum == false ? "!" : string.Empty) : "-";
            output.WriteLine($"{l.Program,-32} {l.TransferKind ?? "-",-8} {Yuan(l.ExpectedYuan),20} {l.AdvancedYuan,20:N0} {ratio,8} {l.RemainderYuan,18:N0} {l.SettledYuan,16:N0} {Yuan(l.OutstandingYuan),18}");
        }
    }

    private static string Yuan(long? yuan) => yuan is { } y ? y.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string PlanPath(string program, int year) =>
        ApiRoutes.Fill(ApiRoutes.Plan, ("program", program), ("fiscalYear", year.ToString(CultureInfo.InvariantCulture)));
}
