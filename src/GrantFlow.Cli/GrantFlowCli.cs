using System.CommandLine;
using GrantFlow.Cli.Commands;

namespace GrantFlow.Cli;

/// <summary>
/// The <c>grantflow</c> command tree. Exit codes: 0 done, 2 invalid input (nothing written), 3 not allowed, 4 conflict or
/// not found, 5 a watched run ended without releasing, 1 unexpected failure or a verification that failed (ledger, receipt).
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

    /// <summary>Something GrantFlow runs locally is missing (Node.js and npm, for Azurite): the message says what to install.</summary>
    public const int MissingTool = 6;

    public static RootCommand Build() =>
        new("GrantFlow: advance release of central grants to provinces.")
        {
            AllocateCommand.Create(),
            BenchCommand.Create(),
            DemoCommand.Create(),
            ServeCommand.Create(),
            TokenCommand.Create(),
            ReceiptCommand.Create(),
            SoakCommand.Create(),
            LedgerCommand.Create(),
            DataCommand.Create(),
            Remote.ApiCommands.Runs(),
            Remote.ApiCommands.Settle(),
            Remote.ApiCommands.Correct(),
            Remote.ApiCommands.Notices(),
            Remote.ApiCommands.Disputes(),
            Remote.ApiCommands.PassDown(),
            Remote.ApiCommands.Trace(),
            Remote.ApiCommands.Plans(),
        };

    /// <summary>The known name closest to a mistyped one (edit distance at most 2, or a prefix), or null.</summary>
    public static string? ClosestTo(string typed, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        return known
            .Select(name => (Name: name, Distance: name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && typed.Length >= 2 ? 1 : EditDistance(typed.ToLowerInvariant(), name)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = Build().Parse(args);
        // Exceptions come here (not to System.CommandLine's handler), so a missing local tool is one sentence.
        // Ctrl+C, SIGTERM and SIGQUIT cancel the command (ShutdownSignals, below), which then stops its engine and (if it
        // is the last user) its Azurite before the process exits; System.CommandLine 2.0's own handling is off (it let
        // the process die at once, leaving Azurite running).
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await config.Error.WriteLineAsync(parseError.Message);
            }

            foreach (var unknown in parse.UnmatchedTokens.Where(t => !t.StartsWith('-')).Take(1))
            {
                var known = parse.CommandResult.Command.Subcommands.Select(c => c.Name).ToList();
                if (ClosestTo(unknown, known) is { } suggestion)
                {
                    await config.Error.WriteLineAsync($"Did you mean '{suggestion}'?");
                }
            }

            return InvalidInput;
        }

        try
        {
            using var signals = new GrantFlow.Hosting.Local.ShutdownSignals();
            return await parse.InvokeAsync(config, signals.Token);
        }
        catch (GrantFlow.Hosting.Local.LocalToolMissingException ex)
        {
            await config.Error.WriteLineAsync(ex.Message);
            return MissingTool;
        }
        catch (OperationCanceledException)
        {
            return Failure; // stopped (Ctrl+C) before it finished, as System.CommandLine's own handler answers
        }
        catch (Exception ex)
        {
            // What System.CommandLine's own handler prints: an unexpected failure, in full, for a bug report.
            await config.Error.WriteLineAsync("Unhandled exception: " + ex);
            return Failure;
        }
    }
}
