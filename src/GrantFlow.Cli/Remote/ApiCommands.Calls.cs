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
    private static async Task<int> CallAsync(ParseResult parse, Func<GrantFlowServer, CancellationToken, Task<ServerAnswer>> call, Action<ServerAnswer, TextWriter> print, CancellationToken cancellationToken)
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

        print(answer, output);
        return GrantFlowCli.Success;
    }

    private static Func<ParseResult, CancellationToken, Task<int>> WatchAsync(Argument<string> runIdArgument, Option<TimeSpan> intervalOption) => async (parse, cancellationToken) =>
    {
        var output = parse.InvocationConfiguration.Output;
        var runId = Uri.EscapeDataString(parse.GetValue(runIdArgument)!);
        string? last = null;
        while (true)
        {
            var seen = (Status: (string?)null, Line: (string?)null);
            var exit = await CallAsync(parse, (server, token) => server.GetAsync(ApiRoutes.Fill(ApiRoutes.Run, ("runId", runId)), token), (answer, _) =>
            {
                var run = answer.Json.GetProperty("run");
                var status = run.GetProperty("status").GetString();
                var progress = answer.Json.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object
                    ? $"{(p.TryGetProperty("stage", out var stage) ? stage.GetString() : null)}: {(p.TryGetProperty("detail", out var detail) ? detail.GetString() : null)}"
                    : null;
                seen = (status, $"{DateTimeOffset.UtcNow:HH:mm:ss} {status}{(run.TryGetProperty("reason", out var reason) ? $": {reason.GetString()}" : string.Empty)}{(progress is null ? string.Empty : $" {progress}")}");
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

    private static void WriteRun(JsonElement view, TextWriter output)
    {
        var run = view.GetProperty("run");
        output.WriteLine($"run {run.GetProperty("runId").GetString()}: {run.GetProperty("kind").GetString()} {run.GetProperty("program").GetString()} {run.GetProperty("fiscalYear").GetInt32()}, {run.GetProperty("envelopeYuan").GetInt64():N0} yuan, {run.GetProperty("status").GetString()}");
        foreach (var decision in view.GetProperty("decisions").EnumerateArray())
        {
            output.WriteLine($"  {decision.GetProperty("stage").GetString()}: {(decision.GetProperty("approved").GetBoolean() ? "approved" : "rejected")} by {decision.GetProperty("decidedBy").GetString()}");
        }
    }

    private static void WriteNotices(JsonElement notices, TextWriter output)
    {
        var console = GrantFlow.Cli.Output.CliConsole.For(output);
        console.Profile.Width = Math.Max(console.Profile.Width, 160); // notice numbers are not wrapped
        var table = new Table().AddColumns("Notice", "Kind", "Amount (yuan)", "Amount (10,000 yuan)", "Issued", "Pass down by", "Acknowledged");
        foreach (var n in notices.EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(n.GetProperty("noticeNumber").GetString()!),
                Markup.Escape(n.GetProperty("kind").GetString()!),
                n.GetProperty("amountYuan").GetInt64().ToString("N0", CultureInfo.InvariantCulture),
                n.GetProperty("amountWanYuan").GetDecimal().ToString("N4", CultureInfo.InvariantCulture),
                n.GetProperty("issuedAt").GetDateTimeOffset().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                n.GetProperty("passDownDeadline").GetDateTimeOffset().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                n.TryGetProperty("acknowledgedAt", out var acknowledged) && acknowledged.ValueKind == JsonValueKind.String
                    ? Markup.Escape($"{acknowledged.GetDateTimeOffset():yyyy-MM-dd HH:mm} {n.GetProperty("acknowledgedBy").GetString()}")
                    : "no");
        }

        console.Write(table);
    }
}
