using System.CommandLine;
using GrantFlow.Cli.Commands;

namespace GrantFlow.Cli;

/// <summary>The <c>grantflow</c> command tree. Exit codes: 0 done, 2 invalid input (nothing written), 1 unexpected failure.</summary>
public static class GrantFlowCli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    public static RootCommand Build() =>
        new("GrantFlow: advance release of central grants to provinces.")
        {
            AllocateCommand.Create(),
            BenchCommand.Create(),
            DemoCommand.Create(),
            ServeCommand.Create(),
            TokenCommand.Create(),
            SoakCommand.Create(),
            LedgerCommand.Create(),
        };

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = Build().Parse(args);
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await config.Error.WriteLineAsync(parseError.Message);
            }

            return InvalidInput;
        }

        return await parse.InvokeAsync(config);
    }
}
