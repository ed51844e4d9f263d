using Azure;
using Azure.Data.Tables;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Notices;

/// <summary>The outbox's batched path: rows never attempted, marked, sent and recorded a hundred at a time.</summary>
public sealed partial class NoticeOutbox
{
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
}
