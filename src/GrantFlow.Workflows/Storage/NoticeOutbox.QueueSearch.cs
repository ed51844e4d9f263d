using Azure.Storage.Queues;

namespace GrantFlow.Workflows.Storage;

/// <summary>Looking for a notice's message on its queue at any depth (after a send a crash interrupted).</summary>
public sealed partial class NoticeOutbox
{
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
}
