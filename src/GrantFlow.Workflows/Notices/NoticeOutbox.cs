using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Notices;

/// <summary>
/// A message for the outbox: who it goes to, its number (the key a resend is looked up by: a notice number, or a
/// reminder number "{notice}#R{k}", found on the queue as "noticeNumber" or "reminderNumber") and its JSON payload.
/// </summary>
public sealed record OutboxMessage(string RecipientCode, string Number, string Payload);

/// <summary>A message the outbox has sent: to whom, its number, its payload and when it was sent.</summary>
public sealed record SentMessage(string RecipientCode, string Number, string Payload, DateTimeOffset SentAt);

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

    public NoticeOutbox(GrantFlowTables storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
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
    /// Sends every message of the batch not yet marked sent; returns every message of the batch marked sent (this
    /// dispatch's and earlier ones'). Disbursement notices are also filed under their recipient (<paramref name="fileUnderRecipient"/>).
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
    public async Task<IReadOnlyList<SentMessage>> DispatchAsync(string batch, bool fileUnderRecipient = true, TimeSpan? patience = null, CancellationToken cancellationToken = default)
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

        return [.. done.Select(r => new SentMessage(r.RowKey, r.GetString("NoticeNumber"), r.GetString("Payload"), r.GetDateTimeOffset("SentAt") ?? _time.GetUtcNow()))];
    }
}
