using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;

namespace GrantFlow.Workflows.Notices;

/// <summary>Looking for notices' messages on their queues at any depth (after sends a crash interrupted).</summary>
public sealed partial class NoticeOutbox
{
    private const int QueueClientMaxMessages = 32;

    /// <summary>
    /// How long a scanned message is hidden at most (it is made visible again right after the scan). A scan reads for
    /// at most half of it, so it never comes round to a message it hid itself and takes it for another.
    /// </summary>
    private static readonly TimeSpan ScanVisibility = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One scan of a queue at a time in this process: a scan hides the messages it reads, so two at once on one queue
    /// (a pass-down's county notices all share their province's county queue) would each miss what the other holds.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ScanLocks = new(StringComparer.Ordinal);

    /// <summary>
    /// Every message on the queue by the number it carries (a reminder's "reminderNumber", else its "noticeNumber"),
    /// at any depth. A peek sees the first 32 visible messages, which is the whole queue when it returns fewer. A
    /// deeper queue is scanned by receiving its messages (hidden for at most <see cref="ScanVisibility"/>) and making
    /// each visible again right away; this runs only for sends a crash interrupted, and leaves each scanned message
    /// with one more dequeue count.
    /// </summary>
    /// <param name="reading">Called when the scan begins reading the queue (after any other scan of it in this process).</param>
    internal static async Task<IReadOnlyDictionary<string, string>> ScanQueueAsync(QueueClient queue, CancellationToken cancellationToken, Action? reading = null)
    {
        var gate = ScanLocks.GetOrAdd(queue.Uri.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            reading?.Invoke();
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            var counted = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            var peeked = (await queue.PeekMessagesAsync(QueueClientMaxMessages, cancellationToken)).Value;
            if (peeked.Length < QueueClientMaxMessages)
            {
                EnsureNoneHidden(queue, counted, peeked.Length);
                foreach (var message in peeked)
                {
                    Remember(ids, message.MessageId, message.Body);
                }

                return ids;
            }

            // The latest receipt of each message this scan holds hidden. A message seen again means the scan has come
            // round to what it already read (its hiding ended): the queue has been read whole, and it stops there.
            var hidden = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                var started = Stopwatch.GetTimestamp();
                while ((await queue.ReceiveMessagesAsync(QueueClientMaxMessages, ScanVisibility, cancellationToken)).Value is { Length: > 0 } batch)
                {
                    if (Stopwatch.GetElapsedTime(started) > ScanVisibility / 2)
                    {
                        // Not read whole before the first messages could show again: no answer rather than a partial
                        // one (a message missed would be sent twice). The dispatch is retried.
                        throw new TimeoutException($"the scan of queue {queue.Name} did not finish within {ScanVisibility.TotalSeconds / 2:0} s.");
                    }

                    var fresh = 0;
                    foreach (var message in batch)
                    {
                        fresh += hidden.ContainsKey(message.MessageId) ? 0 : 1;
                        hidden[message.MessageId] = message.PopReceipt;
                        Remember(ids, message.MessageId, message.Body);
                    }

                    if (fresh == 0)
                    {
                        break;
                    }
                }

                EnsureNoneHidden(queue, counted, hidden.Count);
                return ids;
            }
            finally
            {
                await RestoreAsync(queue, hidden);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Fails the search when the queue counted more messages before it than the search saw: some are hidden - being
    /// read by their recipient, or by an earlier scan whose receive was carried out but never answered - and one of
    /// them may be the notice looked for. No answer rather than "not there" (which would send it twice); the search
    /// is tried again, and hidden messages show again when their hiding ends. The count is never lower than the queue
    /// holds (it may be higher, for a moment, after deletes): the error is on the side of asking again.
    /// </summary>
    private static void EnsureNoneHidden(QueueClient queue, int counted, int seen)
    {
        if (seen < counted)
        {
            throw new TimeoutException($"queue {queue.Name} counts {counted} message(s) and {seen} could be read: the others are hidden for now; the search is tried again.");
        }
    }

    /// <summary>
    /// Makes the scanned messages visible again, each on its own: a message the recipient received and deleted
    /// meanwhile (404), or received again after its hiding ended (its receipt no longer current: 400/404), needs no
    /// restoring. A restore the storage failed is tried again (<see cref="RestoreAttempts"/> in all; one that was
    /// carried out unanswered then finds its receipt changed, 400/404, and is done): every message left hidden makes
    /// each search of the queue fail for the next minute, and a deep queue on a storage that fails a few requests in
    /// a hundred would otherwise never be searched successfully again. One that still fails is visible again when its
    /// hiding ends. Nothing here hides the scan's result.
    /// </summary>
    private static async Task RestoreAsync(QueueClient queue, Dictionary<string, string> hidden)
    {
        foreach (var (id, receipt) in hidden)
        {
            for (var attempt = 1; attempt <= RestoreAttempts; attempt++)
            {
                try
                {
                    await queue.UpdateMessageAsync(id, receipt, message: (BinaryData?)null, visibilityTimeout: TimeSpan.Zero, CancellationToken.None);
                    break;
                }
                catch (Azure.RequestFailedException ex) when (ex.Status is 400 or 404)
                {
                    break; // consumed by its recipient, taken again after its hiding ended, or restored unanswered
                }
                catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex) && attempt < RestoreAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), CancellationToken.None);
                }
                catch (Exception ex) when (Http.ApiFailures.IsStorageOutage(ex))
                {
                    // the storage did not answer, again and again: the message becomes visible when its hiding ends
                }
            }
        }
    }

    /// <summary>Tries to make one scanned message visible again (the queue client itself does not retry).</summary>
    private const int RestoreAttempts = 5;

    /// <summary>The number a message carries, from its top-level JSON (anything else on the queue is passed over).</summary>
    private static void Remember(Dictionary<string, string> ids, string messageId, BinaryData body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var number = json.RootElement.TryGetProperty("reminderNumber", out var reminder) && reminder.ValueKind == JsonValueKind.String
                ? reminder.GetString()
                : json.RootElement.TryGetProperty("noticeNumber", out var notice) && notice.ValueKind == JsonValueKind.String ? notice.GetString() : null;
            if (number is not null)
            {
                ids.TryAdd(number, messageId);
            }
        }
        catch (JsonException)
        {
            // not a GrantFlow message
        }
    }

    /// <summary>
    /// One dispatch's look at its queues: each queue is scanned once for all the rows that need it (a pass-down's
    /// county notices all share one queue), and again only for a row whose interrupted attempt began after that scan.
    /// </summary>
    private sealed class QueueScans(TimeProvider time, Action scanStarted)
    {
        private readonly ConcurrentDictionary<string, Entry> _scans = new(StringComparer.Ordinal);

        /// <summary>A scan of one queue and when it began reading it (set before it reads; known once it is done).</summary>
        private sealed class Entry
        {
            public DateTimeOffset StartedAt { get; set; }

            public required Lazy<Task<IReadOnlyDictionary<string, string>>> Scan { get; init; }
        }

        /// <summary>
        /// The id of the message holding <paramref name="number"/> on the queue, or null, from a scan that began reading
        /// after <paramref name="takenOverAt"/> (this sender's take-over of the row). An earlier scan may predate the
        /// message of the attempt taken over - even this dispatch's own attempt a pass ago, sent after its scan and
        /// never recorded - and would answer "not there" for a message that is there. Rows taken over while a scan runs
        /// share the next one: the first to find the scan too old replaces it, the others take the replacement, which
        /// begins reading only when the running one is done (one scan of a queue at a time), after all their marks.
        /// </summary>
        public async Task<string?> FindAsync(QueueClient queue, string number, DateTimeOffset takenOverAt, CancellationToken cancellationToken)
        {
            var key = queue.Uri.ToString();
            while (true)
            {
                var entry = _scans.GetOrAdd(key, _ => New(queue, cancellationToken));
                var ids = await AwaitAsync(key, entry);
                if (entry.StartedAt > takenOverAt)
                {
                    return ids.GetValueOrDefault(number);
                }

                _scans.TryUpdate(key, New(queue, cancellationToken), entry);
            }
        }

        /// <summary>A scan's result; a scan that failed is forgotten, so the next look scans again.</summary>
        private async Task<IReadOnlyDictionary<string, string>> AwaitAsync(string key, Entry entry)
        {
            try
            {
                return await entry.Scan.Value;
            }
            catch
            {
                _scans.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                throw;
            }
        }

        private Entry New(QueueClient queue, CancellationToken cancellationToken)
        {
            Entry? entry = null;
            entry = new Entry
            {
                Scan = new Lazy<Task<IReadOnlyDictionary<string, string>>>(() =>
                {
                    scanStarted();
                    return ScanQueueAsync(queue, cancellationToken, () => entry!.StartedAt = time.GetUtcNow());
                }),
            };
            return entry;
        }
    }
}
