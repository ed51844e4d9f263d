using Spectre.Console;

namespace GrantFlow.Cli.Output;

/// <summary>
/// The one way the CLI makes a Spectre console: colours and bold only on a terminal. Output redirected to a file or
/// a pipe, any writer that is not the process's console (tests), or NO_COLOR set: plain text, no escape codes.
/// </summary>
public static class CliConsole
{
    public static IAnsiConsole For(TextWriter output, int minimumWidth = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (minimumWidth > 0)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, minimumWidth);
        }

        return console;
    }
}
