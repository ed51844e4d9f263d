using System.CommandLine;
using GrantFlow.Cli.Commands;

namespace GrantFlow.Cli;

/// <summary>
/// The <c>grantflow</c> command tree. Exit codes: 0 done, 2 invalid input (nothing written), 3 not allowed, 4 conflict or
/// not found, 5 a watched run ended without releasing, 1 unexpected failure.
/// </summary>
public static class GrantFlowCli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    /// <summary>The API refused the caller (401, 403).</summary>
    public const int NotAllowed = 3;

    /// <summary>The API found a conflict or nothing (404, 409).</summary>
    public const int Conflict = 4;

    /// <summary><c>runs watch</c>: the run ended rejected, expired or failed.</summary>
    public const int RunNotCompleted = 5;

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
            DataCommand.Create(),
            Remote.ApiCommands.Runs(),
            Remote.ApiCommands.Settle(),
            Remote.ApiCommands.Correct(),
            Remote.ApiCommands.Notices(),
            Remote.ApiCommands.Disputes(),
            Remote.ApiCommands.PassDown(),
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
