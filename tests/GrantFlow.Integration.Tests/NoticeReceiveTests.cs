using System.Diagnostics;
using System.Net;
using System.Text;
using Azure.Storage.Queues;
using GrantFlow.Cli;
using GrantFlow.Cli.Remote;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The province's side of its queue: `grantflow notices receive` drains it with credentials that reach nothing else,
/// verifies each receipt, records each notice exactly once and acknowledges it, and a kill mid-batch loses nothing.
/// </summary>
public abstract class NoticeReceiveTests(EngineFixture fixture)
{
    private const string Province = "44";

    private Uri Sas(string province = Province) => ApiCommands.ProvinceQueueSas(new QueueClient(fixture.StorageConnectionString, $"notices-{province}"), TimeSpan.FromHours(1));

    private string[] ReceiveArguments(string folder) =>
        ["notices", "receive", "--province", Province, "--queue-sas", Sas().AbsoluteUri, "--to", folder, "--published", new Uri(fixture.Http.BaseAddress!, "api/public").AbsoluteUri, "--visibility-timeout", "5",
         "--server", fixture.Http.BaseAddress!.ToString(), "--token", fixture.Tokens.Mint("guangdong.finance", [$"province:{Province}"], TimeSpan.FromMinutes(30))];

    private static async Task<(int Exit, string Out, string Err)> GrantFlowAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GrantFlowCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<int> QueuedAsync() => (await new QueueClient(fixture.StorageConnectionString, $"notices-{Province}").GetPropertiesAsync()).Value.ApproximateMessagesCount;

    [Fact]
    public async Task A_receiver_killed_mid_batch_loses_nothing_and_records_nothing_twice()
    {
        foreach (var program in new[] { "medical-assistance", "resident-insurance", "service-capacity", "medical-assistance" })
        {
            await fixture.CompleteRunAsync(program);
        }

        var queued = await QueuedAsync();
        Assert.True(queued >= 4, $"{queued} notices queued");
        var folder = Directory.CreateTempSubdirectory("gf-receive-").FullName;

        // A separate process, killed after recording its second notice (before acknowledging and deleting it).
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "grantflow.dll"), .. ReceiveArguments(folder)])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[NoticeReceiver.KillAfterVariable] = "2";
        using (var killed = Process.Start(start)!)
        {
            var stdout = killed.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await killed.WaitForExitAsync(timeout.Token);
            Assert.True(killed.ExitCode != 0, await stdout);
        }

        var notices = Path.Combine(folder, Province, "notices");
        Assert.Equal(2, Directory.GetFiles(notices, "*.json").Length);
        Assert.Equal(queued - 1, await QueuedAsync()); // the first recorded, acknowledged and deleted; the second recorded and still queued

        // Run again until the messages the crash left invisible come back: every notice once, all acknowledged, the queue empty.
        var total = new StringBuilder();
        for (var attempt = 0; attempt < 10 && await QueuedAsync() > 0; attempt++)
        {
            var again = await GrantFlowAsync(ReceiveArguments(folder));
            Assert.True(again.Exit == 0, again.Out + again.Err);
            total.AppendLine(again.Out);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(0, await QueuedAsync());
        var files = Directory.GetFiles(notices, "*.json");
        Assert.Equal(queued, files.Length);
        Assert.Empty(Directory.GetFiles(notices, "*.tmp"));
        Assert.Contains("1 already recorded", total.ToString(), StringComparison.Ordinal); // the one recorded before the kill
        var csv = await File.ReadAllLinesAsync(Path.Combine(folder, Province, "notices.csv"), Encoding.UTF8);
        Assert.Equal(queued + 1, csv.Length);
        Assert.StartsWith("通知书编号,项目,年度", csv[0], StringComparison.Ordinal);
        Assert.Contains(",提前下达,", csv[1], StringComparison.Ordinal); // kinds by their Chinese names for the province's finance system
        var inbox = await fixture.CallAsync(HttpMethod.Get, $"/api/provinces/{Province}/notices", $"province:{Province}", "guangdong");
        Assert.All(inbox.Body.EnumerateArray(), n => Assert.Equal("guangdong.finance", n.GetProperty("acknowledgedBy").GetString()));

        var nothing = await GrantFlowAsync(ReceiveArguments(folder)); // the same command again: nothing to do
        Assert.Contains("0 recorded, 0 already recorded", nothing.Out, StringComparison.Ordinal);
        Assert.Equal(queued, Directory.GetFiles(notices, "*.json").Length);
    }

    [Fact]
    public async Task The_province_credentials_reach_its_own_queue_only_and_a_forged_notice_is_set_aside_unacknowledged()
    {
        await fixture.CompleteRunAsync("service-capacity");
        var sas = Sas();
        var otherQueue = new UriBuilder(sas) { Path = sas.AbsolutePath.Replace($"notices-{Province}", "notices-45", StringComparison.Ordinal) }.Uri;
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => new QueueClient(otherQueue).ReceiveMessagesAsync());
        Assert.Equal(403, refused.Status);
        var noWrite = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => new QueueClient(sas).SendMessageAsync("{}"));
        Assert.Equal(403, noWrite.Status);

        // Someone with the account's keys puts a notice with a raised amount on the queue.
        var queue = new QueueClient(fixture.StorageConnectionString, $"notices-{Province}");
        var genuine = (await queue.PeekMessagesAsync(1)).Value.Single();
        var forged = System.Text.Json.Nodes.JsonNode.Parse(genuine.Body.ToString())!;
        forged["amountYuan"] = forged["amountYuan"]!.GetValue<long>() + 1_000_000;
        await queue.SendMessageAsync(forged.ToJsonString());

        var folder = Directory.CreateTempSubdirectory("gf-receive-").FullName;
        var drained = await GrantFlowAsync(ReceiveArguments(folder));
        Assert.True(drained.Exit == GrantFlowCli.Failure && drained.Out.Contains("1 not verified", StringComparison.Ordinal), drained.Out + drained.Err);
        var why = Assert.Single(Directory.GetFiles(Path.Combine(folder, Province, "unverified"), "*.why.txt"));
        Assert.Contains("[notice.changed] the notice's amount", await File.ReadAllTextAsync(why), StringComparison.Ordinal);
        var recorded = await File.ReadAllTextAsync(Path.Combine(folder, Province, "notices", forged["noticeNumber"]!.GetValue<string>() + ".json"));
        Assert.Equal(forged["amountYuan"]!.GetValue<long>() - 1_000_000, System.Text.Json.JsonDocument.Parse(recorded).RootElement.GetProperty("amountYuan").GetInt64()); // the genuine one

        var bad = await GrantFlowAsync(["notices", "receive", "--province", "99", "--queue-sas", sas.AbsoluteUri, "--server", fixture.Http.BaseAddress!.ToString(), "--token", "x"]);
        Assert.Equal(GrantFlowCli.InvalidInput, bad.Exit);
    }
}
