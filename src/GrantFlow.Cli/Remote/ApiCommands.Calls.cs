using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Validation;
using Spectre.Console;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Remote;

/// <summary>What every remote command shares: the call and its exit code, watching a run, reading input files, printing.</summary>
public static partial class ApiCommands
{
    /// <summary>Calls the API; prints the answer on success, the problem on stderr otherwise; returns the exit code.</summary>
    private static Task<int> CallAsync(ParseResult parse, Func<GrantFlowServer, CancellationToken, Task<ServerAnswer>> call, Action<ServerAnswer, TextWriter> print, CancellationToken cancellationToken) =>
        CallAsync(parse, call, (answer, output) =>
        {
            print(answer, output);
            return GrantFlowCli.Success;
        }, cancellationToken);

    /// <summary>As above, the exit code the printer's (a check that answered "not intact" exits 1).</summary>
    private static async Task<int> CallAsync(ParseResult parse, Func<GrantFlowServer, CancellationToken, Task<ServerAnswer>> call, Func<ServerAnswer, TextWriter, int> print, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var address = parse.GetValue(ServerOptions.Server)!;
        using var server = new GrantFlowServer(address, ServerOptions.TokenOf(parse));
        ServerAnswer answer;
        try
        {
            answer = await call(server, cancellationToken);
        }
        catch (InputValidationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return GrantFlowCli.InvalidInput;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"cannot reach the GrantFlow API at {address}: {ex.Message} (start it with: grantflow serve)");
            return GrantFlowCli.Failure;
        }

        if (!answer.Succeeded)
        {
            await error.WriteLineAsync(answer.Describe());
            return answer.ExitCode;
        }

        return print(answer, output);
    }

    private static Func<ParseResult, CancellationToken, Task<int>> WatchAsync(Argument<string> runIdArgument, Option<TimeSpan> intervalOption) => async (parse, cancellationToken) =>
    {
        var output = parse.InvocationConfiguration.Output;
        var runId = parse.GetValue(runIdArgument)!;
        string? last = null;
        while (true)
        {
            var seen = (Status: (string?)null, Line: (string?)null);
            var exit = await CallAsync(parse, (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Run, ("runId", runId)), token), (answer, _) =>
            {
                var view = answer.Read<RunDetail>();
                var status = view.Run.Status;
                var progress = view.Progress is { } p ? $"{p.Stage}: {p.Detail}" : null;
                seen = (status, $"{DateTimeOffset.UtcNow:HH:mm:ss} {status}{(view.Run.Reason is { } reason ? $": {reason}" : string.Empty)}{(progress is null ? string.Empty : $" {progress}")}");
            }, cancellationToken);
            if (exit != GrantFlowCli.Success)
            {
                return exit;
            }

            if (seen.Line != last)
            {
                await output.WriteLineAsync(seen.Line);
                last = seen.Line;
            }

            switch (seen.Status)
            {
                case RunStatuses.Completed:
                    return GrantFlowCli.Success;
                case RunStatuses.Rejected or RunStatuses.Expired or RunStatuses.Failed:
                    return GrantFlowCli.RunNotCompleted;
            }

            await Task.Delay(parse.GetValue(intervalOption), cancellationToken);
        }
    };

    private static JsonNode ReadJson(FileInfo file, string field)
    {
        try
        {
            return JsonNode.Parse(CsvText.Decode(ReadBytes(file, field), field).Text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) ?? throw new InputValidationException([new ValidationError(field, null, $"'{file.FullName}' holds JSON null.")]);
        }
        catch (JsonException ex)
        {
            throw new InputValidationException([new ValidationError(field, null, $"'{file.FullName}' is not JSON: {ex.Message}")]);
        }
    }

    private static string ReadCsv(FileInfo file) => CsvText.Decode(ReadBytes(file, "provinces")).Text;

    /// <summary>Whether a data file is an Excel workbook (by its name, as Excel saves it).</summary>
    private static bool IsWorkbook(FileInfo file) => file.Extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase);

    private static byte[] ReadBytes(FileInfo file, string field)
    {
        try
        {
            return file.Length > Commands.AllocationInputFiles.MaxFileBytes
                ? throw new InputValidationException([new ValidationError(field, null, $"'{file.FullName}' has {file.Length:N0} bytes; at most {Commands.AllocationInputFiles.MaxFileBytes:N0} are read.")])
                : File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputValidationException([new ValidationError(field, null, $"cannot read '{file.FullName}': {ex.Message}")]);
        }
    }

    private static void WriteRun(RunDetail view, TextWriter output)
    {
        var run = view.Run;
        output.WriteLine($"run {run.RunId}: {run.Kind} {run.Program} {run.FiscalYear}, {run.EnvelopeYuan:N0} yuan, {run.Status}");
        if (run.ExpectedYuan is { } expected)
        {
            var ratio = run.AdvancePercent is { } percent ? $", advance {percent} (minimum {run.MinimumPercent}%)" : string.Empty;
            output.WriteLine($"  plan v{run.PlanVersion}: {run.TransferKind} transfer, expected {expected:N0} yuan{ratio}");
        }

        if (run.AdvanceException is { } exception)
        {
            output.WriteLine($"  below the minimum by exception: {exception}");
        }

        foreach (var decision in view.Decisions)
        {
            output.WriteLine($"  {decision.Stage}: {(decision.Approved ? "approved" : "rejected")} by {decision.DecidedBy}");
        }
    }

    private static void WriteNotices(IReadOnlyList<InboxNotice> notices, TextWriter output)
    {
        var console = GrantFlow.Cli.Output.CliConsole.For(output);
        console.Profile.Width = Math.Max(console.Profile.Width, 160); // notice numbers are not wrapped
        var table = new Table().AddColumns("Notice", "Kind", "Amount (yuan)", "Amount (10,000 yuan)", "Issued", "Pass down by", "Acknowledged");
        foreach (var n in notices)
        {
            table.AddRow(
                Markup.Escape(n.NoticeNumber),
                Markup.Escape(n.Kind),
                n.AmountYuan.ToString("N0", CultureInfo.InvariantCulture),
                n.AmountWanYuan.ToString("N4", CultureInfo.InvariantCulture),
                n.IssuedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                n.PassDownDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                n.AcknowledgedAt is { } acknowledged ? Markup.Escape($"{acknowledged:yyyy-MM-dd HH:mm} {n.AcknowledgedBy}") : "no");
        }

        console.Write(table);
    }
}
