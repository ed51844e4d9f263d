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

    /// <summary>
    /// Sends every message of the batch not yet marked sent; returns the number of its messages marked sent.
    /// Disbursement notices are also filed under their recipient (<paramref name="fileUnderRecipient"/>).
    /// </summary>
    public async Task<int> DispatchAsync(string batch, bool fileUnderRecipient = true, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var sent = 0;
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.PartitionKey == batch, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Sent") == true || await SendOnceAsync(row, cancellationToken))
            {
                if (fileUnderRecipient)
                {
                    await IndexAsync(row, cancellationToken);
                }

                sent++;
            }
        }

        return sent;
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
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
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

        var receipt = (await queue.SendMessageAsync(BinaryData.FromString(row.GetString("Payload")), visibilityTimeout: null, timeToLive: NoticeTimeToLive, cancellationToken)).Value;
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
    /// Files a sent notice under its recipient (partition = code, row = notice number), where the recipient lists and
    /// acknowledges it with one partition query or one point read, however many years of notices the outbox holds.
    /// Insert-if-missing: a retry adds nothing. Read back, the row is the notice as sent (the outbox's payload).
    /// </summary>
    private async Task IndexAsync(TableEntity outboxRow, CancellationToken cancellationToken)
    {
        var payload = outboxRow.GetString("Payload") ?? (await storage.Outbox.GetEntityAsync<TableEntity>(outboxRow.PartitionKey, outboxRow.RowKey, cancellationToken: cancellationToken)).Value.GetString("Payload");
        try
        {
            await storage.Notices.AddEntityAsync(
                new TableEntity(outboxRow.RowKey, outboxRow.GetString("NoticeNumber")) { ["RunId"] = outboxRow.PartitionKey, ["Payload"] = payload },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // indexed already
        }

        if (Domain.Programs.ProvinceCodes.IsKnown(outboxRow.RowKey))
        {
            // A province notice awaits acknowledgement: the chaser follows it until it comes.
            var sentAt = outboxRow.GetDateTimeOffset("SentAt") ?? time.GetUtcNow();
            await openNotices.OpenAsync(outboxRow.RowKey, outboxRow.GetString("NoticeNumber"), sentAt, cancellationToken);
            var notice = JsonSerializer.Deserialize<DisbursementNotice>(payload, WorkflowJson.Options)!;
            if (notice.Kind is Domain.Ledger.LedgerEntryKinds.Advance or Domain.Ledger.LedgerEntryKinds.Remainder)
            {
                // The Budget Law's 30 days to pass it down start now.
                await openNotices.AwaitPassDownAsync(outboxRow.RowKey, notice.NoticeNumber, notice.Program, notice.FiscalYear, sentAt, cancellationToken);
            }
        }
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
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(provinceCode, noticeNumber, cancellationToken: cancellationToken);
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
            var stored = (await storage.Notices.GetEntityAsync<TableEntity>(provinceCode, noticeNumber, cancellationToken: cancellationToken)).Value;
            return stored.GetDateTimeOffset("AcknowledgedAt") is { } first
                ? new NoticeAcknowledgement(noticeNumber, provinceCode, stored.GetString("AcknowledgedBy"), first)
                : throw new InvalidOperationException($"notice {noticeNumber} changed while being acknowledged, without an acknowledgement.", ex);
        }
    }

    /// <summary>A recipient's notice as sent and when it was acknowledged (one point read), or null.</summary>
    public async Task<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)?> FindWithAcknowledgementAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(recipientCode, noticeNumber, cancellationToken: cancellationToken);
        return found.HasValue
            ? (JsonSerializer.Deserialize<DisbursementNotice>(found.Value!.GetString("Payload"), WorkflowJson.Options)!, found.Value!.GetDateTimeOffset("AcknowledgedAt"))
            : null;
    }

    /// <summary>A recipient's notice as sent (one point read), or null.</summary>
    public async Task<DisbursementNotice?> FindAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = await storage.Notices.GetEntityIfExistsAsync<TableEntity>(recipientCode, noticeNumber, cancellationToken: cancellationToken);
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
        await foreach (var row in storage.Notices.QueryAsync<TableEntity>(e => e.PartitionKey == provinceCode, cancellationToken: cancellationToken))
        {
            notices.Add(JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!);
        }

        return notices.OrderBy(n => n.IssuedAt).ThenBy(n => n.NoticeNumber, StringComparer.Ordinal).ToList();
    }
}
