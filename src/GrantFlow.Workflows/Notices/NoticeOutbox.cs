using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Http;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Notices;

public sealed record NoticeAcknowledgement(string NoticeNumber, string ProvinceCode, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

/// <summary>
/// A message for the outbox: who it goes to, its number (the key a resend is looked up by: a notice number, or a
/// reminder number "{notice}#R{k}", found on the queue as "noticeNumber" or "reminderNumber") and its JSON payload.
/// </summary>
/// <summary>A notice as its recipient received it, with who acknowledged it and when (null: not yet).</summary>
public sealed record ReceivedNotice(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy)
{
    /// <summary>The notice's fields as sent, with <c>acknowledgedAt</c> and <c>acknowledgedBy</c> beside them.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(Notice, WorkflowJson.Options)!.AsObject();
        json["acknowledgedAt"] = AcknowledgedAt is { } at ? System.Text.Json.Nodes.JsonValue.Create(at) : null;
        json["acknowledgedBy"] = AcknowledgedBy;
        return json;
    }
}

public sealed record OutboxMessage(string RecipientCode, string Number, string Payload);

/// <summary>
/// Transactional outbox for disbursement notices (partition = run id, row = province code). Notices are recorded
/// first (all or nothing per transaction), then each is sent to its province's queue exactly once:
/// <list type="number">
/// <item>the row is marked <c>SendAttempted</c> (conditional on its ETag: of two senders, one goes on);</item>
/// <item>the message is sent, never to expire (a province may read it weeks later; the notice can also be re-read
/// through <c>GET /api/provinces/{code}/notices</c>);</item>
/// <item>its message id and pop receipt are recorded with <c>Sent</c> (conditional again): a sender that loses this race
/// deletes the message it just sent, so two live senders never leave two copies.</item>
/// </list>
/// The one window no table write can close is a crash after the queue accepted the message and before step 3. A row
/// found attempted but unrecorded is left to its sender for <see cref="AttemptTakeOverAfter"/> (a live sender finishes
/// in milliseconds); after that a new sender takes it over (conditionally, so only one does) and checks the queue at
/// any depth before sending: a peek when the queue holds fewer than 32 visible messages, otherwise a scan that
/// receives every visible message and makes each visible again at once (<see cref="FindOnQueueAsync"/>); a message
/// found is recorded by its id. A sender slower than the take-over time that then loses the conditional write deletes
/// its own message unless the row recorded exactly that one. The notice number is also the dedupe key consumers can
/// rely on.
/// </summary>
public sealed partial class NoticeOutbox
{
    private readonly GrantFlowTables _storage;
    private readonly TimeProvider _time;
    private readonly Chasing.OpenNotices _openNotices;

    public NoticeOutbox(GrantFlowTables storage, TimeProvider time, Chasing.OpenNotices openNotices)
    {
        _storage = storage;
        _time = time;
        _openNotices = openNotices;
    }

    /// <summary>Queue messages never expire (-1): an unread notice stays until the province takes it.</summary>
    public static readonly TimeSpan NoticeTimeToLive = TimeSpan.FromSeconds(-1);

    public Task RecordAsync(string runId, IReadOnlyList<DisbursementNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        return RecordMessagesAsync(runId, [.. notices.Select(n => new OutboxMessage(n.ProvinceCode, n.NoticeNumber, JsonSerializer.Serialize(n, WorkflowJson.Options)))], cancellationToken);
    }

    /// <summary>
    /// Records messages to send exactly once (partition = <paramref name="batch"/>, row = recipient): disbursement
    /// notices, reminders. Insert-if-missing: recording again adds nothing.
    /// </summary>
    public async Task RecordMessagesAsync(string batch, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await _storage.EnsureCreatedAsync(cancellationToken);
        var entities = messages.Select(m => new TableEntity(batch, m.RecipientCode)
        {
            ["NoticeNumber"] = m.Number,
            ["Queue"] = _storage.Options.NoticeQueue(m.RecipientCode),
            ["Payload"] = m.Payload,
            ["Sent"] = false,
        }).ToList();
        await TableBatches.InsertMissingAsync(_storage.Outbox, batch, entities, cancellationToken);
    }

    /// <summary>Messages sent at once by one dispatch (a bounded fan-out: the storage account's, not the host's, limit).</summary>
    public const int SendConcurrency = 16;

    /// <summary>
    /// Sends every message of the batch not yet marked sent; returns the number of its messages marked sent.
    /// Disbursement notices are also filed under their recipient (<paramref name="fileUnderRecipient"/>).
    /// </summary>
    /// <remarks>
    /// Messages never attempted take the batched path, which keeps the protocol above row by row and only groups its
    /// writes: up to 100 rows are marked attempted in one entity-group transaction (each conditional on its ETag, so
    /// the whole mark fails if any row changed, and then those rows go the one-by-one way), their messages are sent
    /// <see cref="SendConcurrency"/> at a time, and their ids recorded in one transaction conditional on the marks'
    /// ETags. A record that fails means another sender took a row over (a mark older than
    /// <see cref="AttemptTakeOverAfter"/>): each row of the chunk is then recorded alone, and a sender whose message
    /// lost deletes it, as in the one-by-one path. A crash anywhere leaves rows attempted and unrecorded: the next
    /// dispatch takes them the one-by-one way, which looks for their messages on the queue before sending again.
    /// </remarks>
    public async Task<int> DispatchAsync(string batch, bool fileUnderRecipient = true, TimeSpan? patience = null, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in _storage.Outbox.QueryAsync<TableEntity>(e => e.PartitionKey == batch, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        await _storage.EnsureQueuesAsync(rows.Select(r => r.RowKey), cancellationToken);
        var done = new System.Collections.Concurrent.ConcurrentBag<TableEntity>(rows.Where(r => r.GetBoolean("Sent") == true));
        var fresh = rows.Where(r => r.GetBoolean("Sent") != true && r.GetBoolean("SendAttempted") != true && r.GetString("MessageId") is null).ToList();
        var oneByOne = new System.Collections.Concurrent.ConcurrentBag<TableEntity>(rows.Where(r => r.GetBoolean("Sent") != true && !fresh.Contains(r)));
        await SendFreshAsync(fresh, done, oneByOne, cancellationToken);
        await SendOneByOneAsync([.. oneByOne], done, patience ?? DispatchPatience, cancellationToken);
        if (fileUnderRecipient)
        {
            await IndexAsync([.. done], cancellationToken);
        }

        return done.Count;
    }

    /// <summary>
    /// How long one dispatch keeps at rows the storage failed, unless told otherwise (each pass a second after the last) before it gives up
    /// and lets its activity be retried: a storage that fails one request in ten still lets a run's notices out in
    /// one attempt, instead of one more notice per attempt at ever longer retry intervals.
    /// </summary>
    public static readonly TimeSpan DispatchPatience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The one-by-one path: rows attempted before (by a sender that crashed or whose storage failed it) and rows the
    /// batched path gave up. Each follows the protocol alone; a row the storage failed is tried again in the next pass.
    /// </summary>
    private async Task SendOneByOneAsync(IReadOnlyList<TableEntity> pending, System.Collections.Concurrent.ConcurrentBag<TableEntity> done, TimeSpan patience, CancellationToken cancellationToken)
    {
        var scans = new QueueScans(_time);
        var giveUpAt = _time.GetUtcNow() + patience;
        while (pending.Count > 0)
        {
            var failed = new System.Collections.Concurrent.ConcurrentBag<(TableEntity Row, Exception Error)>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (row, token) =>
            {
                try
                {
                    var current = (await _storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: token)).Value;
                    if (current.GetBoolean("Sent") == true || await SendOnceAsync(current, scans, token))
                    {
                        done.Add(current);
                    }
                }
                catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !token.IsCancellationRequested)
                {
                    failed.Add((row, ex));
                }
            });

            if (failed.IsEmpty)
            {
                return;
            }

            if (_time.GetUtcNow() >= giveUpAt)
            {
                throw new AggregateException($"{failed.Count} message(s) of the batch not sent within {patience.TotalSeconds:0} s; the activity will retry.", failed.Select(f => f.Error));
            }

            pending = [.. failed.Select(f => f.Row)];
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
    }

    /// <summary>
    /// The batched path for never-attempted rows, in three phases so the queue stays busy: every chunk of 100 is
    /// marked attempted (one conditional transaction each, a few at once; a chunk whose mark fails goes the one-by-one
    /// way), then every marked message is sent, <see cref="SendConcurrency"/> at a time, then each chunk's ids are
    /// recorded (one conditional transaction each; one that fails is recorded row by row, a losing message taken back).
    /// </summary>
    private async Task SendFreshAsync(List<TableEntity> fresh, System.Collections.Concurrent.ConcurrentBag<TableEntity> done, System.Collections.Concurrent.ConcurrentBag<TableEntity> oneByOne, CancellationToken cancellationToken)
    {
        var attemptedAt = _time.GetUtcNow();
        var marked = new System.Collections.Concurrent.ConcurrentBag<TableEntity[]>();
        await Parallel.ForEachAsync(fresh.Chunk(TableBatches.MaxTransactionSize), new ParallelOptions { MaxDegreeOfParallelism = TableBatches.TransactionConcurrency, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            foreach (var row in chunk)
            {
                row["SendAttempted"] = true;
                row["SendAttemptedAt"] = attemptedAt;
            }

            if (await TryOrOutageAsync(() => TrySubmitUpdatesAsync(chunk, token), token) == true)
            {
                marked.Add(chunk);
            }
            else
            {
                foreach (var row in chunk)
                {
                    oneByOne.Add(row); // a row changed since it was read: another sender is at work on this batch
                }
            }
        });

        var receipts = new System.Collections.Concurrent.ConcurrentDictionary<TableEntity, Azure.Storage.Queues.Models.SendReceipt>(ReferenceEqualityComparer.Instance);
        await Parallel.ForEachAsync(marked.SelectMany(chunk => chunk), new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (row, token) =>
        {
            try
            {
                receipts[row] = await SendMessageAsync(_storage.NoticeQueue(row.RowKey), row.GetString("NoticeNumber"), row.GetString("Payload"), token);
            }
            catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !token.IsCancellationRequested)
            {
                // Sent or not, nobody can tell: the row stays attempted, and the one-by-one path looks on the queue first.
                oneByOne.Add(row);
            }
        });

        await Parallel.ForEachAsync(marked, new ParallelOptions { MaxDegreeOfParallelism = TableBatches.TransactionConcurrency, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            chunk = [.. chunk.Where(receipts.ContainsKey)];
            if (chunk.Length == 0)
            {
                return;
            }

            foreach (var row in chunk)
            {
                var receipt = receipts[row];
                row["MessageId"] = receipt.MessageId;
                row["PopReceipt"] = receipt.PopReceipt;
                row["Sent"] = true;
                row["SentAt"] = receipt.InsertionTime;
            }

            switch (await TryOrOutageAsync(() => TrySubmitUpdatesAsync(chunk, token), token))
            {
                case true:
                    foreach (var row in chunk)
                    {
                        done.Add(row);
                    }

                    return;
                case null:
                    foreach (var row in chunk)
                    {
                        oneByOne.Add(row); // recorded or not: the one-by-one path reads the row again
                    }

                    return;
            }

            // Another sender took a row over while ours were in flight: record each alone; a message that lost is taken back.
            foreach (var row in chunk)
            {
                if (await TryOrOutageAsync(() => RecordOrTakeBackAsync(row, _storage.NoticeQueue(row.RowKey), receipts[row], token), token) is not true)
                {
                    oneByOne.Add(row);
                }
                else
                {
                    done.Add(row);
                }
            }
        });
    }

    /// <summary>The call's answer, or null when the storage failed it (whether it took effect is then unknown).</summary>
    private static async Task<bool?> TryOrOutageAsync(Func<Task<bool>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces the rows in one entity-group transaction, each conditional on its ETag, and takes their new ETags;
    /// false (nothing written) when any of them changed since it was read.
    /// </summary>
    private async Task<bool> TrySubmitUpdatesAsync(TableEntity[] rows, CancellationToken cancellationToken)
    {
        try
        {
            var responses = (await _storage.Outbox.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)), cancellationToken)).Value;
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i].ETag = responses[i].Headers.ETag ?? throw new InvalidOperationException("the transaction's response has no ETag for a row it updated.");
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// How long a send attempt is another sender's to finish: a row marked attempted more recently is left to that
    /// sender (this one waits for it); an older mark is a sender that crashed, and this one takes the row over.
    /// </summary>
    public static readonly TimeSpan AttemptTakeOverAfter = TimeSpan.FromSeconds(30);

    /// <summary>Sends one notice unless it is on its queue already; true when the row ends marked sent.</summary>
    private async Task<bool> SendOnceAsync(TableEntity row, QueueScans scans, CancellationToken cancellationToken)
    {
        var queue = _storage.NoticeQueue(row.RowKey);
        await _storage.EnsureQueuesAsync([row.RowKey], cancellationToken);
        var number = row.GetString("NoticeNumber");
        var giveUpAt = _time.GetUtcNow() + (2 * AttemptTakeOverAfter);
        while (_time.GetUtcNow() < giveUpAt)
        {
            if (row.GetBoolean("Sent") == true)
            {
                return true;
            }

            if (row.GetString("MessageId") is not null)
            {
                row["Sent"] = true;
                row["SentAt"] ??= _time.GetUtcNow();
                if (await TryUpdateAsync(row, cancellationToken))
                {
                    return true;
                }
            }
            else if (row.GetBoolean("SendAttempted") == true && row.GetDateTimeOffset("SendAttemptedAt") is { } attemptedAt && _time.GetUtcNow() - attemptedAt < AttemptTakeOverAfter)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken); // another sender is at work: let it finish
            }
            else if (await SendAsOwnerAsync(row, queue, number, scans, cancellationToken))
            {
                return true;
            }

            row = (await _storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
        }

        throw new TimeoutException($"notice {number}: another sender held it for more than {2 * AttemptTakeOverAfter.TotalSeconds} s; the activity will retry.");
    }

    /// <summary>
    /// Marks the row as this sender's attempt (conditionally: of two senders, one goes on), then, when an earlier
    /// attempt crashed, looks for its message on the queue before sending. False when another sender got the row first.
    /// </summary>
    private async Task<bool> SendAsOwnerAsync(TableEntity row, QueueClient queue, string number, QueueScans scans, CancellationToken cancellationToken)
    {
        var earlierAttempt = row.GetBoolean("SendAttempted") == true;
        row["SendAttempted"] = true;
        row["SendAttemptedAt"] = _time.GetUtcNow();
        if (!await TryUpdateAsync(row, cancellationToken))
        {
            return false;
        }

        if (earlierAttempt && await scans.FindAsync(queue, number, row.GetDateTimeOffset("SendAttemptedAt")!.Value, cancellationToken) is { } found)
        {
            // The crashed attempt's message is on the queue: record it, do not send again.
            row["MessageId"] = found;
            row["Sent"] = true;
            row["SentAt"] = _time.GetUtcNow();
            return await TryUpdateAsync(row, cancellationToken);
        }

        var receipt = await SendMessageAsync(queue, number, row.GetString("Payload"), cancellationToken);
        return await RecordOrTakeBackAsync(row, queue, receipt, cancellationToken);
    }

    /// <summary>Sends one message, never to expire; a queue deleted since this process created it is created again.</summary>
    private static async Task<Azure.Storage.Queues.Models.SendReceipt> SendMessageAsync(QueueClient queue, string number, string payload, CancellationToken cancellationToken)
    {
        using var span = Telemetry.GrantFlowTelemetry.Source.StartActivity("grantflow send message");
        span?.SetTag(Telemetry.GrantFlowTelemetry.NoticeNumberTag, number);
        span?.SetTag("messaging.destination.name", queue.Name);
        Telemetry.GrantFlowTelemetry.NoticesSent.Add(1, new KeyValuePair<string, object?>("type", number.Contains('#', StringComparison.Ordinal) ? "reminder" : "notice"));
        try
        {
            return (await queue.SendMessageAsync(BinaryData.FromString(payload), visibilityTimeout: null, timeToLive: NoticeTimeToLive, cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return (await queue.SendMessageAsync(BinaryData.FromString(payload), visibilityTimeout: null, timeToLive: NoticeTimeToLive, cancellationToken)).Value;
        }
    }

    /// <summary>
    /// Records a sent message's id on its row (conditional on the row's ETag); true when the row ends holding it. When
    /// another sender took the row over meanwhile (this one was slower than the take-over time), that sender searches
    /// the queue and records what it found or sent: ours is deleted only once the row names another message. Deleting
    /// it before - while the taker may have found it and be about to record it - would leave a row marked sent whose
    /// message is gone. If the taker records nothing in time (it crashed too), ours stays for the next one to find.
    /// </summary>
    internal async Task<bool> RecordOrTakeBackAsync(TableEntity row, QueueClient queue, Azure.Storage.Queues.Models.SendReceipt receipt, CancellationToken cancellationToken)
    {
        row["MessageId"] = receipt.MessageId;
        row["PopReceipt"] = receipt.PopReceipt;
        row["Sent"] = true;
        row["SentAt"] = receipt.InsertionTime;
        if (await TryUpdateAsync(row, cancellationToken))
        {
            return true;
        }

        var giveUpAt = _time.GetUtcNow() + (2 * AttemptTakeOverAfter);
        while (true)
        {
            var recorded = (await _storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value.GetString("MessageId");
            if (recorded == receipt.MessageId)
            {
                return true; // the taker found ours on the queue and recorded it
            }

            if (recorded is not null)
            {
                await queue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken); // the row holds another: ours is the duplicate
                return false;
            }

            if (_time.GetUtcNow() >= giveUpAt)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
        }
    }

    /// <summary>Replaces the row if nobody changed it since it was read (its ETag); false when somebody did.</summary>
    private async Task<bool> TryUpdateAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _storage.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }
}
