using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Domain.Notices;

namespace GrantFlow.Workflows.Storage;

public sealed record NoticeAcknowledgement(string NoticeNumber, string ProvinceCode, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

/// <summary>
/// A message for the outbox: who it goes to, its number (the key a resend is looked up by: a notice number, or a
/// reminder number "{notice}#R{k}", found on the queue as "noticeNumber" or "reminderNumber") and its JSON payload.
/// </summary>
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
public sealed class NoticeOutbox(GrantFlowTables storage, TimeProvider time, Chasing.OpenNotices openNotices)
{
    /// <summary>
    /// Where a recipient's notice is filed in the index: a province's under its code (partition) and the notice number
    /// (row); a county's under "{province}-counties" and "{county}|{notice number}", so the notices of a pass-down
    /// (all counties of one province) are filed in transactions of 100 rather than one request each, and a county still
    /// lists its own with one range query in one partition and acknowledges with one point read.
    /// </summary>
    public static (string Partition, string Row) IndexKey(string recipientCode, string noticeNumber)
    {
        ArgumentNullException.ThrowIfNull(recipientCode);
        return recipientCode.Length == 6 ? ($"{recipientCode[..2]}-counties", $"{recipientCode}|{noticeNumber}") : (recipientCode, noticeNumber);
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
        await storage.EnsureCreatedAsync(cancellationToken);
        var entities = messages.Select(m => new TableEntity(batch, m.RecipientCode)
        {
            ["NoticeNumber"] = m.Number,
            ["Queue"] = storage.Options.NoticeQueue(m.RecipientCode),
            ["Payload"] = m.Payload,
            ["Sent"] = false,
        }).ToList();
        await TableBatches.InsertMissingAsync(storage.Outbox, batch, entities, cancellationToken);
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
    public async Task<int> DispatchAsync(string batch, bool fileUnderRecipient = true, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.PartitionKey == batch, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        await storage.EnsureQueuesAsync(rows.Select(r => r.RowKey), cancellationToken);
        var done = new System.Collections.Concurrent.ConcurrentBag<TableEntity>(rows.Where(r => r.GetBoolean("Sent") == true));
        var fresh = rows.Where(r => r.GetBoolean("Sent") != true && r.GetBoolean("SendAttempted") != true && r.GetString("MessageId") is null).ToList();
        var oneByOne = new System.Collections.Concurrent.ConcurrentBag<TableEntity>(rows.Where(r => r.GetBoolean("Sent") != true && !fresh.Contains(r)));
        await SendFreshAsync(fresh, done, oneByOne, cancellationToken);

        await Parallel.ForEachAsync(oneByOne, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (row, token) =>
        {
            var current = (await storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: token)).Value;
            if (current.GetBoolean("Sent") == true || await SendOnceAsync(current, token))
            {
                done.Add(current);
            }
        });

        if (fileUnderRecipient)
        {
            await IndexAsync([.. done], cancellationToken);
        }

        return done.Count;
    }

    /// <summary>
    /// The batched path for never-attempted rows, in three phases so the queue stays busy: every chunk of 100 is
    /// marked attempted (one conditional transaction each, a few at once; a chunk whose mark fails goes the one-by-one
    /// way), then every marked message is sent, <see cref="SendConcurrency"/> at a time, then each chunk's ids are
    /// recorded (one conditional transaction each; one that fails is recorded row by row, a losing message taken back).
    /// </summary>
    private async Task SendFreshAsync(List<TableEntity> fresh, System.Collections.Concurrent.ConcurrentBag<TableEntity> done, System.Collections.Concurrent.ConcurrentBag<TableEntity> oneByOne, CancellationToken cancellationToken)
    {
        var attemptedAt = time.GetUtcNow();
        var marked = new System.Collections.Concurrent.ConcurrentBag<TableEntity[]>();
        await Parallel.ForEachAsync(fresh.Chunk(TableBatches.MaxTransactionSize), new ParallelOptions { MaxDegreeOfParallelism = TableBatches.TransactionConcurrency, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            foreach (var row in chunk)
            {
                row["SendAttempted"] = true;
                row["SendAttemptedAt"] = attemptedAt;
            }

            if (await TrySubmitUpdatesAsync(chunk, token))
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
            receipts[row] = await SendMessageAsync(storage.NoticeQueue(row.RowKey), row.GetString("Payload"), token));

        await Parallel.ForEachAsync(marked, new ParallelOptions { MaxDegreeOfParallelism = TableBatches.TransactionConcurrency, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            foreach (var row in chunk)
            {
                var receipt = receipts[row];
                row["MessageId"] = receipt.MessageId;
                row["PopReceipt"] = receipt.PopReceipt;
                row["Sent"] = true;
                row["SentAt"] = receipt.InsertionTime;
            }

            if (await TrySubmitUpdatesAsync(chunk, token))
            {
                foreach (var row in chunk)
                {
                    done.Add(row);
                }

                return;
            }

            // Another sender took a row over while ours were in flight: record each alone; a message that lost is taken back.
            foreach (var row in chunk)
            {
                if (await RecordOrTakeBackAsync(row, storage.NoticeQueue(row.RowKey), receipts[row], token))
                {
                    done.Add(row);
                }
            }
        });
    }

    /// <summary>
    /// Replaces the rows in one entity-group transaction, each conditional on its ETag, and takes their new ETags;
    /// false (nothing written) when any of them changed since it was read.
    /// </summary>
    private async Task<bool> TrySubmitUpdatesAsync(TableEntity[] rows, CancellationToken cancellationToken)
    {
        try
        {
            var responses = (await storage.Outbox.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)), cancellationToken)).Value;
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
    private async Task<bool> SendOnceAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var queue = storage.NoticeQueue(row.RowKey);
        await storage.EnsureQueuesAsync([row.RowKey], cancellationToken);
        var number = row.GetString("NoticeNumber");
        var giveUpAt = time.GetUtcNow() + (2 * AttemptTakeOverAfter);
        while (time.GetUtcNow() < giveUpAt)
        {
            if (row.GetBoolean("Sent") == true)
            {
                return true;
            }

            if (row.GetString("MessageId") is not null)
            {
                row["Sent"] = true;
                row["SentAt"] ??= time.GetUtcNow();
                if (await TryUpdateAsync(row, cancellationToken))
                {
                    return true;
                }
            }
            else if (row.GetBoolean("SendAttempted") == true && row.GetDateTimeOffset("SendAttemptedAt") is { } attemptedAt && time.GetUtcNow() - attemptedAt < AttemptTakeOverAfter)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken); // another sender is at work: let it finish
            }
            else if (await SendAsOwnerAsync(row, queue, number, cancellationToken))
            {
                return true;
            }

            row = (await storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
        }

        throw new TimeoutException($"notice {number}: another sender held it for more than {2 * AttemptTakeOverAfter.TotalSeconds} s; the activity will retry.");
    }

    /// <summary>
    /// Marks the row as this sender's attempt (conditionally: of two senders, one goes on), then, when an earlier
    /// attempt crashed, looks for its message on the queue before sending. False when another sender got the row first.
    /// </summary>
    private async Task<bool> SendAsOwnerAsync(TableEntity row, QueueClient queue, string number, CancellationToken cancellationToken)
    {
        var earlierAttempt = row.GetBoolean("SendAttempted") == true;
        row["SendAttempted"] = true;
        row["SendAttemptedAt"] = time.GetUtcNow();
        if (!await TryUpdateAsync(row, cancellationToken))
        {
            return false;
        }

        if (earlierAttempt && await FindOnQueueAsync(queue, number, cancellationToken) is { } found)
        {
            // The crashed attempt's message is on the queue: record it, do not send again.
            row["MessageId"] = found;
            row["Sent"] = true;
            row["SentAt"] = time.GetUtcNow();
            return await TryUpdateAsync(row, cancellationToken);
        }

        var receipt = await SendMessageAsync(queue, row.GetString("Payload"), cancellationToken);
        return await RecordOrTakeBackAsync(row, queue, receipt, cancellationToken);
    }

    /// <summary>Sends one message, never to expire; a queue deleted since this process created it is created again.</summary>
    private static async Task<Azure.Storage.Queues.Models.SendReceipt> SendMessageAsync(QueueClient queue, string payload, CancellationToken cancellationToken)
    {
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
    /// Records a sent message's id on its row (conditional on the row's ETag); true when recorded. When another sender
    /// took the row over meanwhile and recorded another message, ours is the duplicate and is deleted.
    /// </summary>
    private async Task<bool> RecordOrTakeBackAsync(TableEntity row, QueueClient queue, Azure.Storage.Queues.Models.SendReceipt receipt, CancellationToken cancellationToken)
    {
        row["MessageId"] = receipt.MessageId;
        row["PopReceipt"] = receipt.PopReceipt;
        row["Sent"] = true;
        row["SentAt"] = receipt.InsertionTime;
        if (await TryUpdateAsync(row, cancellationToken))
        {
            return true;
        }

        // Another sender took the row over while ours was in flight (we were slower than the take-over time): if it
        // recorded another message, ours is the duplicate and is taken back.
        var current = (await storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
        if (current.GetString("MessageId") != receipt.MessageId)
        {
            await queue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Files sent notices under their recipients (partition = code, row = notice number), where a recipient lists and
    /// acknowledges them with one partition query or one point read, however many years of notices the outbox holds.
    /// Insert-if-missing: a retry adds nothing. Read back, a row is the notice as sent (the outbox's payload). A province
    /// notice is also opened for chasing and, for an advance or remainder, followed until it is passed down (each a
    /// batched insert-if-missing in its partition).
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<TableEntity> outboxRows, CancellationToken cancellationToken)
    {
        var filed = outboxRows
            .Select(row =>
            {
                var (partition, key) = IndexKey(row.RowKey, row.GetString("NoticeNumber"));
                return new TableEntity(partition, key) { ["RunId"] = row.PartitionKey, ["Payload"] = row.GetString("Payload") };
            })
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .ToList();
        await Parallel.ForEachAsync(filed, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (partition, token) =>
            await TableBatches.InsertMissingAsync(storage.Notices, partition.Key, [.. partition], token));

        var provinces = outboxRows.Where(r => Domain.Programs.ProvinceCodes.IsKnown(r.RowKey)).ToList();
        if (provinces.Count == 0)
        {
            return;
        }

        // Province notices await acknowledgement (the chaser follows them) and, for advances and remainders, the
        // Budget Law's 30 days to pass them down, which start now.
        var opened = new List<(string Province, string Notice, DateTimeOffset SentAt)>();
        var followed = new List<Chasing.PendingPassDown>();
        foreach (var row in provinces)
        {
            var sentAt = row.GetDateTimeOffset("SentAt") ?? time.GetUtcNow();
            opened.Add((row.RowKey, row.GetString("NoticeNumber"), sentAt));
            var notice = JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!;
            if (notice.Kind is Domain.Ledger.LedgerEntryKinds.Advance or Domain.Ledger.LedgerEntryKinds.Remainder)
            {
                followed.Add(new Chasing.PendingPassDown(row.RowKey, notice.NoticeNumber, notice.Program, notice.FiscalYear, sentAt, Reminded: false, OverdueSince: null));
            }
        }

        await openNotices.OpenManyAsync(opened, cancellationToken);
        await openNotices.AwaitPassDownsAsync(followed, cancellationToken);
    }

    /// <summary>Replaces the row if nobody changed it since it was read (its ETag); false when somebody did.</summary>
    private async Task<bool> TryUpdateAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await storage.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The id of the queue's message holding the notice, at any depth, or null. A peek sees the first 32 visible messages, which is the whole
    /// queue when it returns fewer. A deeper queue is scanned by receiving its messages (hidden for at most
    /// <see cref="ScanVisibility"/>) and making each visible again right away; this runs only for a send a crash
    /// interrupted, and leaves each scanned message with one more dequeue count.
    /// </summary>
    internal static async Task<string?> FindOnQueueAsync(QueueClient queue, string noticeNumber, CancellationToken cancellationToken)
    {
        var marker = noticeNumber.Contains('#', StringComparison.Ordinal) ? $"\"reminderNumber\":\"{noticeNumber}\"" : $"\"noticeNumber\":\"{noticeNumber}\"";
        var peeked = (await queue.PeekMessagesAsync(QueueClientMaxMessages, cancellationToken)).Value;
        if (peeked.FirstOrDefault(m => m.Body.ToString().Contains(marker, StringComparison.Ordinal)) is { } seen)
        {
            return seen.MessageId;
        }

        if (peeked.Length < QueueClientMaxMessages)
        {
            return null;
        }

        var hidden = new List<(string Id, string Receipt)>();
        try
        {
            while (true)
            {
                var batch = (await queue.ReceiveMessagesAsync(QueueClientMaxMessages, ScanVisibility, cancellationToken)).Value;
                if (batch.Length == 0)
                {
                    return null;
                }

                hidden.AddRange(batch.Select(m => (m.MessageId, m.PopReceipt)));
                if (batch.FirstOrDefault(m => m.Body.ToString().Contains(marker, StringComparison.Ordinal)) is { } found)
                {
                    return found.MessageId;
                }
            }
        }
        finally
        {
            foreach (var (id, receipt) in hidden)
            {
                await queue.UpdateMessageAsync(id, receipt, message: (BinaryData?)null, visibilityTimeout: TimeSpan.Zero, CancellationToken.None);
            }
        }
    }

    private const int QueueClientMaxMessages = 32;

    /// <summary>How long a scanned message is hidden at most (it is made visible again right after the scan).</summary>
    private static readonly TimeSpan ScanVisibility = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A province acknowledges receipt of one of its notices. Idempotent: acknowledging again keeps the first
    /// acknowledgement, and of two acknowledgements at the same moment the first stands for both. Null when the
    /// province has no such notice. One point read in the recipient's index, whatever the outbox holds.
    /// </summary>
    public async Task<NoticeAcknowledgement?> AcknowledgeAsync(string provinceCode, string noticeNumber, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(provinceCode, noticeNumber);
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        await openNotices.CloseAsync(provinceCode, noticeNumber, cancellationToken); // chased no more
        if (row.GetDateTimeOffset("AcknowledgedAt") is { } acknowledgedAt)
        {
            return new NoticeAcknowledgement(noticeNumber, provinceCode, row.GetString("AcknowledgedBy"), acknowledgedAt);
        }

        row["AcknowledgedBy"] = by;
        row["AcknowledgedAt"] = at;
        try
        {
            await storage.Notices.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            return new NoticeAcknowledgement(noticeNumber, provinceCode, by, at);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Acknowledged at the same moment by another request: the first acknowledgement stands, as for a retry.
            var stored = (await storage.Notices.GetEntityAsync<TableEntity>(partition, key, cancellationToken: cancellationToken)).Value;
            return stored.GetDateTimeOffset("AcknowledgedAt") is { } first
                ? new NoticeAcknowledgement(noticeNumber, provinceCode, stored.GetString("AcknowledgedBy"), first)
                : throw new InvalidOperationException($"notice {noticeNumber} changed while being acknowledged, without an acknowledgement.", ex);
        }
    }

    /// <summary>A recipient's notice as sent and when it was acknowledged (one point read), or null.</summary>
    public async Task<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)?> FindWithAcknowledgementAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(recipientCode, noticeNumber);
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        return found.HasValue
            ? (JsonSerializer.Deserialize<DisbursementNotice>(found.Value!.GetString("Payload"), WorkflowJson.Options)!, found.Value!.GetDateTimeOffset("AcknowledgedAt"))
            : null;
    }

    /// <summary>A recipient's notice as sent (one point read), or null.</summary>
    public async Task<DisbursementNotice?> FindAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(recipientCode, noticeNumber);
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        return found.HasValue ? JsonSerializer.Deserialize<DisbursementNotice>(found.Value!.GetString("Payload"), WorkflowJson.Options) : null;
    }

    /// <summary>Every sent notice with when (if ever) it was acknowledged.</summary>
    public async Task<IReadOnlyList<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)>> ListSentAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var list = new List<(DisbursementNotice, DateTimeOffset?)>();
        await foreach (var row in storage.Notices.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            list.Add((JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!, row.GetDateTimeOffset("AcknowledgedAt")));
        }

        return list;
    }

    /// <summary>The notices sent to a recipient (one partition of the index), oldest first.</summary>
    public async Task<IReadOnlyList<DisbursementNotice>> ListForProvinceAsync(string provinceCode, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var notices = new List<DisbursementNotice>();
        var (partition, _) = IndexKey(provinceCode, string.Empty);
        var filter = provinceCode.Length == 6
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {provinceCode + "|"} and RowKey lt {provinceCode + "}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in storage.Notices.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            notices.Add(JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!);
        }

        return notices.OrderBy(n => n.IssuedAt).ThenBy(n => n.NoticeNumber, StringComparer.Ordinal).ToList();
    }
}
