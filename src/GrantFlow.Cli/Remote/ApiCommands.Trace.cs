using System.CommandLine;
using System.Globalization;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Remote;

/// <summary><c>grantflow trace --run R --sequence N</c>: an entry traced up every level to its central entry, through the API.</summary>
public static partial class ApiCommands
{
    public static Command Trace()
    {
        var runOption = new Option<string>("--run") { Description = "The entry's run (a county's pass-down, a prefecture's, any run).", Required = true };
        var sequenceOption = new Option<int>("--sequence") { Description = "The entry's sequence in its run.", Required = true };
        var command = new Command("trace", "Trace a ledger entry (a county's yuan) up through the prefecture and the province to the central entry, each link checked (auditors, finance officers); exit 1 when a link is broken.") { runOption, sequenceOption };
        ServerOptions.AddTo(command);
        command.SetAction((parse, ct) => CallAsync(
            parse,
            (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.LedgerTrace, ("runId", parse.GetValue(runOption)!), ("sequence", parse.GetValue(sequenceOption).ToString(CultureInfo.InvariantCulture))), token),
            (answer, output) =>
            {
                var trace = answer.Read<LedgerTraceView>();
                foreach (var (e, level) in trace.Path.Select((e, i) => (e, i)))
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{new string(' ', level * 2)}{e.ProvinceCode,-6} {e.Kind,-10} {e.AmountYuan,20:N0} yuan  {e.RunId}/{e.Sequence}  {e.Hash[..16]}  {e.NoticeNumber}"));
                }

                output.WriteLine(trace.Intact ? $"intact: {trace.Path.Count - 1} link(s) to the central entry, each holding" : $"NOT intact: {trace.Problems.Count} problem(s)");
                foreach (var problem in trace.Problems)
                {
                    output.WriteLine($"  [{problem.Code}] {problem.Message}");
                }

                return trace.Intact ? GrantFlowCli.Success : GrantFlowCli.Failure;
            },
            ct));
        return command;
    }
}
