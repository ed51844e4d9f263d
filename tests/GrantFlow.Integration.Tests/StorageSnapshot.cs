using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Everything GrantFlow keeps in a storage account, reduced to comparable lines: every row of every table (keys and
/// ETag, so a changed row shows), every blob (name and ETag), every queue (name and message count), and the task
/// hub's orchestration instances (a new orchestration shows). The engine's own bookkeeping (partition leases, its
/// control and work-item queues, its history) changes while it idles and is left out.
/// </summary>
public static class StorageSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(string connectionString)
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            if (IsEngineBookkeeping(table.Name) && !table.Name.EndsWith("Instances", StringComparison.Ordinal))
            {
                continue;
            }

            var client = tables.GetTableClient(table.Name);
            await foreach (var row in client.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                lines.Add(table.Name.EndsWith("Instances", StringComparison.Ordinal) && IsEngineBookkeeping(table.Name)
                    ? $"instance {row.PartitionKey}" // an instance's row changes as it runs; its existence is what counts
                    : $"table {table.Name} {row.PartitionKey} {row.RowKey} {row.ETag}");
            }
        }

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            if (IsEngineBookkeeping(container.Name))
            {
                continue;
            }

            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                lines.Add($"blob {container.Name}/{blob.Name} {blob.Properties.ETag}");
            }
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            if (IsEngineBookkeeping(queue.Name))
            {
                continue;
            }

            var properties = await queues.GetQueueClient(queue.Name).GetPropertiesAsync();
            lines.Add($"queue {queue.Name} {properties.Value.ApproximateMessagesCount}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The task hub's own tables, containers and queues (names start with the hub name).</summary>
    private static bool IsEngineBookkeeping(string name) => name.StartsWith("grantflowhub", StringComparison.OrdinalIgnoreCase);

    public static string Digest(IReadOnlyList<string> snapshot) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', snapshot))))[..16];
}
