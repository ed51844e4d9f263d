using Azure.Data.Tables;

namespace GrantFlow.Workflows.Storage;

/// <summary>Helpers for entity-group transactions (at most 100 entities, one partition).</summary>
public static class TableBatches
{
    public const int MaxTransactionSize = 100;

    /// <summary>Keys already present in a partition (one query; no scan beyond the partition).</summary>
    public static async Task<HashSet<string>> ExistingRowKeysAsync(TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(e.RowKey);
        }

        return keys;
    }

    /// <summary>Transactions of one call in flight at once (a partition takes concurrent transactions on distinct rows).</summary>
    public const int TransactionConcurrency = 4;

    /// <summary>
    /// Inserts the entities that are not there yet, in transactions of at most 100, a few at once. Optimistic: each
    /// transaction simply adds its rows (no read first, so the usual first write costs one round trip per 100 rows);
    /// one that finds a row already there (409, a retry after a crash) fails whole, and only for that chunk are the
    /// existing keys read back (a query over the chunk's key range) and the rest inserted. Entities already written are
    /// never written again. Returns the number inserted.
    /// </summary>
    public static async Task<int> InsertMissingAsync(TableClient table, string partitionKey, IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entities);
        var inserted = 0;
        await Parallel.ForEachAsync(
            entities.Chunk(MaxTransactionSize),
            new ParallelOptions { MaxDegreeOfParallelism = TransactionConcurrency, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var count = await InsertChunkAsync(table, partitionKey, chunk, token);
                Interlocked.Add(ref inserted, count);
            });
        return inserted;
    }

    private static async Task<int> InsertChunkAsync(TableClient table, string partitionKey, TableEntity[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
            return chunk.Length;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            // Some rows of this chunk are there already (written before a crash): insert only the others.
            var low = chunk.Select(e => e.RowKey).Min(StringComparer.Ordinal)!;
            var high = chunk.Select(e => e.RowKey).Max(StringComparer.Ordinal)!;
            var existing = new HashSet<string>(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {low} and RowKey le {high}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                existing.Add(e.RowKey);
            }

            var missing = chunk.Where(e => !existing.Contains(e.RowKey)).ToList();
            if (missing.Count > 0)
            {
                await table.SubmitTransactionAsync(missing.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
            }

            return missing.Count;
        }
    }
}
