using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace GrantFlow.Workflows.Notices;

/// <summary>
/// The outbox's one-by-one path: rows an earlier sender attempted (it crashed, or the storage failed it) taken over,
/// the queue searched before any resend, and a slower sender's duplicate taken back.
/// </summary>
public sealed partial class NoticeOutbox
{
    /// <summary>
    /// How long one dispatch keeps at rows the storage failed, unless told otherwise (each pass a second after the last) before it gives up
    /// and lets its activity be retried: a storage that fails one request in ten still lets a run's notices out in
    /// one attempt, instead of one more notice per attempt at ever longer retry intervals.
    /// </summary>
    public static readonly TimeSpan DispatchPatience = TimeSpan.FromMinutes(2);

    private int _scansStarted;

    /// <summary>Queue searches this outbox has begun (each reads a whole queue): rows taken over together share one.</summary>
    internal int ScansStarted => Volatile.Read(ref _scansStarted);

    /// <summary>
    /// The one-by-one path: rows attempted before (by a sender that crashed or whose storage failed it) and rows the
    /// batched path gave up. Each follows the protocol alone; a row the storage failed is tried again in the next pass.
    /// </summary>
    private async Task SendOneByOneAsync(IReadOnlyList<TableEntity> pending, System.Collections.Concurrent.ConcurrentBag<TableEntity> done, TimeSpan patience, CancellationToken cancellationToken)
    {
        var scans = new QueueScans(_time, () => Interlocked.Increment(ref _scansStarted));
        var giveUpAt = _time.GetUtcNow() + patience;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken };
        while (pending.Count > 0)
        {
            var failed = new System.Collections.Concurrent.ConcurrentBag<(TableEntity Row, Exception Error)>();

            // Every row no live sender holds is taken over first, then searched for and sent: the rows of one queue
            // (a pass-down's counties) then share one search of it, begun after all their marks.
            var taken = new System.Collections.Concurrent.ConcurrentBag<(TableEntity Row, bool EarlierAttempt)>();
            var others = new System.Collections.Concurrent.ConcurrentBag<TableEntity>();
            await Parallel.ForEachAsync(pending, parallel, async (row, token) =>
            {
                try
                {
                    var current = (await _storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: token)).Value;
                    var earlierAttempt = current.GetBoolean("SendAttempted") == true;
                    if (current.GetBoolean("Sent") == true)
                    {
                        done.Add(current);
                    }
                    else if (current.GetString("MessageId") is null && !HeldByAnotherSender(current) && await MarkAsync(current, token))
                    {
                        taken.Add((current, earlierAttempt));
                    }
                    else
                    {
                        others.Add(current);
                    }
                }
                catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && !token.IsCancellationRequested)
                {
                    failed.Add((row, ex));
                }
            });

            await Parallel.ForEachAsync(taken.Select(t => (t.Row, (bool?)t.EarlierAttempt)).Concat(others.Select(r => (r, (bool?)null))), parallel, async (item, token) =>
            {
                var (row, earlierAttempt) = item;
                try
                {
                    if ((earlierAttempt is { } earlier && await FinishAsOwnerAsync(row, earlier, scans, token)) || await SendOnceAsync(row, scans, token))
                    {
                        done.Add(row);
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
    /// How long a send attempt is another sender's to finish: a row marked attempted more recently is left to that
    /// sender (this one waits for it); an older mark is a sender that crashed, and this one takes the row over.
    /// </summary>
    public static readonly TimeSpan AttemptTakeOverAfter = TimeSpan.FromSeconds(30);

    /// <summary>Sends one notice unless it is on its queue already; true when the row ends marked sent.</summary>
    private async Task<bool> SendOnceAsync(TableEntity row, QueueScans scans, CancellationToken cancellationToken)
    {
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
            else if (HeldByAnotherSender(row))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken); // another sender is at work: let it finish
            }
            else if (await SendAsOwnerAsync(row, scans, cancellationToken))
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
    private async Task<bool> SendAsOwnerAsync(TableEntity row, QueueScans scans, CancellationToken cancellationToken)
    {
        var earlierAttempt = row.GetBoolean("SendAttempted") == true;
        return await MarkAsync(row, cancellationToken) && await FinishAsOwnerAsync(row, earlierAttempt, scans, cancellationToken);
    }

    /// <summary>Whether another sender marked the row too recently to take it over (it is at work, or crashed only just).</summary>
    private bool HeldByAnotherSender(TableEntity row) =>
        row.GetBoolean("SendAttempted") == true && row.GetDateTimeOffset("SendAttemptedAt") is { } attemptedAt && _time.GetUtcNow() - attemptedAt < AttemptTakeOverAfter;

    /// <summary>Marks the row as this sender's attempt, conditional on its ETag; false when another sender changed it first.</summary>
    private async Task<bool> MarkAsync(TableEntity row, CancellationToken cancellationToken)
    {
        row["SendAttempted"] = true;
        row["SendAttemptedAt"] = _time.GetUtcNow();
        return await TryUpdateAsync(row, cancellationToken);
    }

    /// <summary>
    /// A row this sender marked: when an earlier attempt crashed, its message looked for on the queue and recorded if
    /// there; else sent and recorded. False when another sender recorded the row meanwhile.
    /// </summary>
    private async Task<bool> FinishAsOwnerAsync(TableEntity row, bool earlierAttempt, QueueScans scans, CancellationToken cancellationToken)
    {
        var queue = _storage.NoticeQueue(row.RowKey);
        await _storage.EnsureQueuesAsync([row.RowKey], cancellationToken);
        var number = row.GetString("NoticeNumber");
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
