using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Hosting.Local.Faults;
using GrantFlow.Workflows;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The outbox's take-over of a row whose send was interrupted, with the storage failing exactly the requests that
/// make it hard (the fault proxy's script): what the fault soak found, each case failing without its fix.
/// </summary>
public sealed class OutboxTakeOverTests(EngineFixture fixture) : IClassFixture<EngineFixture>, IAsyncLifetime
{
    private StorageFaultProxy? _proxy;
    private ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        _proxy = await StorageFaultProxy.StartAsync(fixture.StorageConnectionString, rate: 0, seed: 17);
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddGrantFlowWorkflows(new ConfigurationBuilder().Build(), _proxy.ConnectionString);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    private TableClient Outbox => new TableServiceClient(fixture.StorageConnectionString).GetTableClient(new GrantFlowStorageOptions().OutboxTable);

    [Fact]
    public async Task A_send_whose_record_the_storage_failed_is_found_on_the_queue_when_the_same_dispatch_takes_the_row_over_not_sent_again()
    {
        var outbox = _services!.GetRequiredService<NoticeOutbox>();
        var recipient = "t" + Guid.NewGuid().ToString("N")[..8];
        var batch = "takeover-" + Guid.NewGuid().ToString("N");
        var number = $"GF-2026-test-{recipient}#R1";
        await outbox.RecordMessagesAsync(batch, [new OutboxMessage(recipient, number, $"{{\"reminderNumber\":\"{number}\"}}")]);

        // An attempt crashed long ago without sending: the dispatch takes the row over and searches the queue first.
        var row = (await Outbox.GetEntityAsync<TableEntity>(batch, recipient)).Value;
        row["SendAttempted"] = true;
        row["SendAttemptedAt"] = DateTimeOffset.UtcNow.AddMinutes(-5);
        await Outbox.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        // Its message lands; then every write of the row fails (the table client's own retries too) for a while: the
        // send is not recorded, and the dispatch's next pass takes the row over again, 30 s later.
        var queuePath = "/notices-" + recipient + "/messages";
        var rowPath = $"(PartitionKey='{batch}',RowKey='{recipient}')";
        DateTimeOffset? failWritesUntil = null;
        _proxy!.Script = (service, method, path) =>
        {
            if (service == "queue" && method == "POST" && path.EndsWith(queuePath, StringComparison.Ordinal) && failWritesUntil is null)
            {
                failWritesUntil = DateTimeOffset.UtcNow.AddSeconds(10);
            }

            return service == "table" && method is "PUT" or "MERGE" && path.Contains(rowPath, StringComparison.Ordinal) && failWritesUntil is { } until && DateTimeOffset.UtcNow < until
                ? StorageFaults.Error503
                : null;
        };

        Assert.Single(await outbox.DispatchAsync(batch, fileUnderRecipient: false));

        var queue = new QueueClient(fixture.StorageConnectionString, "notices-" + recipient);
        var copies = (await queue.PeekMessagesAsync(32)).Value.Count(m => m.Body.ToString().Contains(number, StringComparison.Ordinal));
        Assert.Equal(1, copies);
        var recorded = (await Outbox.GetEntityAsync<TableEntity>(batch, recipient)).Value;
        Assert.True(recorded.GetBoolean("Sent"));
        Assert.Equal((await queue.PeekMessagesAsync(32)).Value.Single().MessageId, recorded.GetString("MessageId"));
    }

    [Fact]
    public async Task Rows_taken_over_together_on_one_deep_queue_share_one_search_and_are_each_sent_once()
    {
        // A pass-down's county notices share their province's county queue; a sender crashed with 40 of them attempted.
        var outbox = _services!.GetRequiredService<NoticeOutbox>();
        var batch = "counties-" + Guid.NewGuid().ToString("N");
        var counties = Enumerable.Range(1, 40).Select(i => $"98{i:0000}").ToList();
        var queue = new QueueClient(fixture.StorageConnectionString, "notices-98-counties");
        await queue.CreateIfNotExistsAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync($"{{\"noticeNumber\":\"GF-2025-earlier-{i}\"}}"); // deeper than one peek: the search receives
        }

        await outbox.RecordMessagesAsync(batch, [.. counties.Select(c => new OutboxMessage(c, $"GF-2026-test-{c}-{batch[9..17]}", $"{{\"noticeNumber\":\"GF-2026-test-{c}-{batch[9..17]}\"}}"))]);
        foreach (var county in counties)
        {
            var row = (await Outbox.GetEntityAsync<TableEntity>(batch, county)).Value;
            row["SendAttempted"] = true;
            row["SendAttemptedAt"] = DateTimeOffset.UtcNow.AddMinutes(-5);
            await Outbox.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }

        var scansBefore = outbox.ScansStarted;
        Assert.Equal(40, (await outbox.DispatchAsync(batch, fileUnderRecipient: false)).Count);

        Assert.Equal(1, outbox.ScansStarted - scansBefore); // one search of the queue for the 40 rows, not one each
        var numbers = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } received)
        {
            numbers.AddRange(received.Select(m => m.Body.ToString()));
        }

        Assert.Equal(80, numbers.Count);
        Assert.All(counties, c => Assert.Single(numbers, n => n.Contains($"GF-2026-test-{c}-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_slow_sender_whose_row_was_taken_over_leaves_its_message_when_the_taker_found_and_recorded_it()
    {
        var outbox = _services!.GetRequiredService<NoticeOutbox>();
        var recipient = "t" + Guid.NewGuid().ToString("N")[..8];
        var batch = "slow-" + Guid.NewGuid().ToString("N");
        var number = $"GF-2026-test-{recipient}";
        await outbox.RecordMessagesAsync(batch, [new OutboxMessage(recipient, number, $"{{\"noticeNumber\":\"{number}\"}}")]);
        var stale = (await Outbox.GetEntityAsync<TableEntity>(batch, recipient)).Value; // as the slow sender read it
        var queue = new QueueClient(fixture.StorageConnectionString, "notices-" + recipient);
        await queue.CreateIfNotExistsAsync();
        var receipt = (await queue.SendMessageAsync($"{{\"noticeNumber\":\"{number}\"}}")).Value; // its send, slower than the take-over time

        // Another sender took the row over (its mark changed the row) and is searching the queue.
        var taken = (await Outbox.GetEntityAsync<TableEntity>(batch, recipient)).Value;
        taken["SendAttempted"] = true;
        taken["SendAttemptedAt"] = DateTimeOffset.UtcNow;
        taken.ETag = (await Outbox.UpdateEntityAsync(taken, taken.ETag, TableUpdateMode.Replace)).Headers.ETag!.Value;

        var slowSender = outbox.RecordOrTakeBackAsync(stale, queue, receipt, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The taker found the slow sender's message on the queue and records it.
        taken["MessageId"] = receipt.MessageId;
        taken["Sent"] = true;
        await Outbox.UpdateEntityAsync(taken, taken.ETag, TableUpdateMode.Replace);

        Assert.True(await slowSender); // the row holds its message
        Assert.Equal(receipt.MessageId, Assert.Single((await queue.PeekMessagesAsync(32)).Value).MessageId);
    }

    [Fact]
    public async Task A_queue_search_tries_again_to_make_visible_each_message_the_storage_failed_to_restore()
    {
        var queue = new QueueClient(_proxy!.ConnectionString, "restore-" + Guid.NewGuid().ToString("N")[..12], new QueueClientOptions { Retry = { MaxRetries = 0 } });
        await queue.CreateAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(new { noticeNumber = $"N-{i:000}" }));
        }

        // The first restore of every message fails (the storage busy).
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        _proxy.Script = (service, method, path) =>
            service == "queue" && method == "PUT" && path.Contains("/" + queue.Name + "/messages/", StringComparison.Ordinal) && failed.TryAdd(path, true)
                ? StorageFaults.Error503
                : null;

        Assert.Equal(40, (await NoticeOutbox.ScanQueueAsync(queue, CancellationToken.None)).Count);

        _proxy.Script = null;
        Assert.Equal(40, failed.Count);
        var visible = 0;
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
        {
            visible += batch.Length;
        }

        Assert.Equal(40, visible); // none left hidden for the minute a scan hides them
    }

    [Fact]
    public async Task A_chaser_sweep_schedules_every_deadline_and_chases_the_rest_when_one_provinces_queue_fails_leaving_that_one_to_the_next_sweep()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddGrantFlowWorkflows(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GrantFlow:Storage:TablePrefix"] = "Sweep" + tag,
                ["GrantFlow:Storage:NoticeQueuePrefix"] = "sweep" + tag,
                ["GrantFlow:Chasing:ChaseAfter"] = "00:00:01",
            }).Build(),
            _proxy!.ConnectionString);
        var logged = new CapturedLogs();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logged);
        await using var provider = services.BuildServiceProvider();
        var open = provider.GetRequiredService<GrantFlow.Workflows.Notices.OpenNotices>();
        var sentAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        string[] provinces = ["11", "44", "45"];
        await open.OpenManyAsync([.. provinces.Select(p => (p, $"GF-2026-test-{p}-{tag}", sentAt))]);
        await open.AwaitPassDownsAsync([.. provinces.Select(p => new GrantFlow.Contracts.PendingPassDown(p, $"GF-2026-test-{p}-{tag}", "test", 2026, sentAt, false, null))]);

        // Guangdong's queue refuses every message.
        _proxy.Script = (service, method, path) => service == "queue" && method == "POST" && path.Contains($"/sweep{tag}-44/messages", StringComparison.Ordinal) ? StorageFaults.Error503 : null;

        var sweep = await GrantFlow.Workflows.Chasing.ChaseNoticesActivity.SweepAsync(
            provider.GetRequiredService<GrantFlow.Workflows.Chasing.NoticeChaseSteps>(),
            provider.GetRequiredService<GrantFlow.Workflows.Chasing.PassDownDeadlines>(),
            fixture.Engine.Client,
            DateTimeOffset.UtcNow);

        Assert.Equal(new GrantFlow.Workflows.Chasing.ChaseSweep(3, 2, 0, DeadlinesScheduled: 3, Deferred: 1), sweep);
        Assert.Contains("Chaser: 3 notices open, 2 chased (0 escalated), 1 left to the next sweep", logged.Lines); // what an operator reads

        // The storage answers again: the next sweep sends Guangdong's reminder, once.
        _proxy.Script = null;
        var next = await GrantFlow.Workflows.Chasing.ChaseNoticesActivity.SweepAsync(
            provider.GetRequiredService<GrantFlow.Workflows.Chasing.NoticeChaseSteps>(),
            provider.GetRequiredService<GrantFlow.Workflows.Chasing.PassDownDeadlines>(),
            fixture.Engine.Client,
            DateTimeOffset.UtcNow);
        Assert.Equal(0, next.Deferred);
        var guangdong = new QueueClient(fixture.StorageConnectionString, $"sweep{tag}-44");
        Assert.Single((await guangdong.PeekMessagesAsync(32)).Value, m => m.Body.ToString().Contains($"GF-2026-test-44-{tag}#R1", StringComparison.Ordinal));
    }
}

/// <summary>The log lines written through a container's loggers, for a test to read.</summary>
internal sealed class CapturedLogs : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _lines.Enqueue(formatter(state, exception));
    }

    public void Dispose()
    {
    }
}
