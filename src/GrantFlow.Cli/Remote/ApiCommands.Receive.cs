using System.CommandLine;
using System.Globalization;
using Azure.Storage.Queues;
using Azure.Storage.Sas;
using GrantFlow.Cli.Commands;
using GrantFlow.Domain.Programs;
using GrantFlow.Hosting.Local;

namespace GrantFlow.Cli.Remote;

/// <summary><c>grantflow notices receive</c> and <c>queue-access</c>: the province's side of its notice queue.</summary>
public static partial class ApiCommands
{
    private static Command Receive(Option<string> provinceOption)
    {
        var sasOption = new Option<string?>("--queue-sas") { Description = "A SAS address of the province's own queue (locally: grantflow notices queue-access)." };
        var queueOption = new Option<string?>("--queue") { Description = "Azure: the address of the province's own queue, reached with the province's identity (DefaultAzureCredential)." };
        var toOption = new Option<DirectoryInfo>("--to") { Description = "The folder the notices are recorded in (notices/, notices.csv, reminders/, unverified/).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".grantflow", "received")) };
        var publishedOption = new Option<string?>("--published") { Description = "Also check each receipt against the published release: a folder or an address (e.g. http://127.0.0.1:7071/api/public)." };
        var visibilityOption = new Option<int>("--visibility-timeout") { Description = "Seconds a received message stays hidden before it returns to the queue (5 to 600).", DefaultValueFactory = _ => (int)NoticeReceiver.DefaultVisibilityTimeout.TotalSeconds };
        var receive = new Command("receive", "Drain the province's notice queue: verify each receipt, record each notice once (JSON and notices.csv), acknowledge it.") { provinceOption, sasOption, queueOption, toOption, publishedOption, visibilityOption };
        ServerOptions.AddTo(receive);
        receive.SetAction(async (parse, ct) =>
        {
            var (output, error) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var province = parse.GetValue(provinceOption)!;
            if (!ProvinceCodes.IsKnown(province) || parse.GetValue(visibilityOption) is < 5 or > 600)
            {
                await error.WriteLineAsync(ProvinceCodes.IsKnown(province) ? "--visibility-timeout: 5 to 600 seconds." : $"--province: {province} is not a province code.");
                return GrantFlowCli.InvalidInput;
            }

            QueueClient queue;
            if (parse.GetValue(sasOption) is { } sas && Uri.TryCreate(sas, UriKind.Absolute, out var sasUri) && sasUri.Scheme is "http" or "https")
            {
                queue = new QueueClient(sasUri);
            }
            else if (parse.GetValue(sasOption) is null && parse.GetValue(queueOption) is { } queueText && Uri.TryCreate(queueText, UriKind.Absolute, out var address) && address.Scheme == "https")
            {
                queue = new QueueClient(address, new Azure.Identity.DefaultAzureCredential());
            }
            else
            {
                await error.WriteLineAsync("give --queue-sas, an http(s) SAS address (locally: grantflow notices queue-access), or --queue, the https address of the province's queue (Azure, the province's identity).");
                return GrantFlowCli.InvalidInput;
            }

            var folder = new DirectoryInfo(Path.Combine(parse.GetValue(toOption)!.FullName, province));
            using var server = new GrantFlowServer(parse.GetValue(ServerOptions.Server)!, ServerOptions.TokenOf(parse));
            Func<string, Task<GrantFlow.Domain.Disclosure.PublishedRelease?>>? published = parse.GetValue(publishedOption) is { } source
                ? async runId =>
                {
                    try
                    {
                        return await ReceiptCommand.ReadPublishedAsync(source, runId, ct);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException or System.Text.Json.JsonException or InvalidDataException)
                    {
                        return null; // not published (yet): the receipt's own proof is still checked
                    }
                }
                : null;
            try
            {
                var outcome = await new NoticeReceiver(queue, server, province, folder, published, output, TimeSpan.FromSeconds(parse.GetValue(visibilityOption))).DrainAsync(ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{outcome.Recorded} recorded, {outcome.AlreadyRecorded} already recorded, {outcome.Reminders} reminders, {outcome.Unverified} not verified; {outcome.Acknowledged} acknowledged, {outcome.AcknowledgeFailed} left on the queue; in {folder.FullName}"));
                return outcome.Unverified > 0 || outcome.AcknowledgeFailed > 0 ? GrantFlowCli.Failure : GrantFlowCli.Success;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status is 401 or 403)
            {
                await error.WriteLineAsync($"the queue refused the credentials ({ex.Status} {ex.ErrorCode}): they reach only that province's own queue.");
                return GrantFlowCli.NotAllowed;
            }
        });
        return receive;
    }

    private static Command QueueAccess(Option<string> provinceOption)
    {
        var hoursOption = new Option<int>("--hours") { Description = "How long the access lasts (1 to 24 hours).", DefaultValueFactory = _ => 8 };
        var dataOption = new Option<string>("--data-dir") { Description = "Azurite data of the local host (grantflow serve running).", DefaultValueFactory = _ => Path.Combine(".grantflow", "azurite") };
        var access = new Command("queue-access", "Local host: a SAS address that lets one province read and delete messages of its own queue, and nothing else.") { provinceOption, hoursOption, dataOption };
        access.SetAction(async (parse, ct) =>
        {
            var province = parse.GetValue(provinceOption)!;
            var hours = parse.GetValue(hoursOption);
            if (!ProvinceCodes.IsKnown(province) || hours is < 1 or > 24)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ProvinceCodes.IsKnown(province) ? "--hours: 1 to 24." : $"--province: {province} is not a province code.");
                return GrantFlowCli.InvalidInput;
            }

            var connection = Environment.GetEnvironmentVariable(EmbeddedEnvironment.ConnectionStringVariable);
            await using var azurite = string.IsNullOrWhiteSpace(connection) ? await AzuriteServer.StartAsync(Path.GetFullPath(parse.GetValue(dataOption)!), TextWriter.Null, ct) : null;
            var name = new GrantFlow.Workflows.Storage.GrantFlowStorageOptions().NoticeQueue(province);
            var queue = new QueueClient(connection is { Length: > 0 } ? connection : azurite!.ConnectionString, name);
            await parse.InvocationConfiguration.Output.WriteLineAsync(ProvinceQueueSas(queue, TimeSpan.FromHours(hours)).AbsoluteUri);
            return GrantFlowCli.Success;
        });
        return access;
    }

    /// <summary>Read (peek) and process (receive, delete) on the one queue: no add, no update, no other queue.</summary>
    public static Uri ProvinceQueueSas(QueueClient queue, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.GenerateSasUri(QueueSasPermissions.Read | QueueSasPermissions.Process, DateTimeOffset.UtcNow.Add(lifetime));
    }
}
