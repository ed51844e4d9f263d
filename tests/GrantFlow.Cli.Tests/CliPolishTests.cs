using System.Net;
using System.Net.Sockets;

namespace GrantFlow.Cli.Tests;

/// <summary>The command line as a tired official meets it: typos, capitals, redirected output, a busy port.</summary>
public class CliPolishTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GrantFlowCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("demoo", "demo")]
    [InlineData("alocate", "allocate")]
    [InlineData("serv", "serve")]
    public async Task A_mistyped_command_gets_a_suggestion_and_exit_code_2(string typed, string meant)
    {
        var (exit, _, error) = await Run(typed);

        Assert.Equal(2, exit);
        Assert.Contains($"Did you mean '{meant}'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_subcommand_is_suggested_from_its_own_command()
    {
        var (exit, _, error) = await Run("ledger", "verfy");

        Assert.Equal(2, exit);
        Assert.Contains("Did you mean 'verify'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_values_are_lower_case_words()
    {
        var (help, helpText, _) = await Run("allocate", "--help");
        var (upper, _, upperError) = await Run("allocate", "--example", "--format", "CSV");
        var (lower, csv, _) = await Run("allocate", "--example", "--format", "csv");

        Assert.Equal(0, help);
        Assert.Contains("<csv|json|table>", helpText, StringComparison.Ordinal);
        Assert.Equal(2, upper);
        Assert.Contains("CSV", upperError, StringComparison.Ordinal);
        Assert.Equal(0, lower);
        Assert.StartsWith("province_code,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_that_is_not_a_terminal_has_no_colour_or_bold_codes()
    {
        var (exit, table, _) = await Run("allocate", "--example");

        Assert.Equal(0, exit);
        Assert.Contains("Guangdong", table, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', table);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_code_2_before_anything_starts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var folder = Path.Combine(Path.GetTempPath(), "grantflow-port-" + Guid.NewGuid().ToString("N"));

        var (exit, output, error) = await Run("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", folder);

        Assert.Equal(2, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"port {port} is in use", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.False(Directory.Exists(folder)); // nothing was started
    }
}
