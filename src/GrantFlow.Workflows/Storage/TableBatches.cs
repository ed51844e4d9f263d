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

    /// <summary>
    /// Inserts the entities that are not there yet, in transactions of at most 100. Retrying after a crash inserts
    /// only what is missing: entities already written are never written again.
    /// </summary>
    public static async Task<int> InsertMissingAsync(TableClient table, string partitionKey, IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var existing = await ExistingRowKeysAsync(table, partitionKey, cancellationToken);
        var missing = entities.Where(e => !existing.Contains(e.RowKey)).ToList();
        foreach (var chunk in missing.Chunk(MaxTransactionSize))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
        }

        return missing.Count;
    }
}
