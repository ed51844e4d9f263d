using Azure.Data.Tables;
using GrantFlow.Hosting.Local;

namespace GrantFlow.Integration.Tests;

/// <summary>What a stopped engine leaves behind in its storage.</summary>
public sealed class EngineLifetimeTests
{
    /// <summary>
    /// A disposed engine has released its control-queue partitions: the storage it used may stop the moment the
    /// dispose returns. (The sidecar only starts the orchestration service's stop; when the engine did not wait for it,
    /// each test class's partition manager went on retrying its lease table against a stopped Azurite for ten
    /// minutes, and a full suite's test process spent half an hour of CPU on them.)
    /// </summary>
    [Fact]
    public async Task A_disposed_engine_has_released_every_partition_it_owned()
    {
        var folder = Path.Combine(Path.GetTempPath(), "grantflow-lifetime-" + Guid.NewGuid().ToString("N"));
        var azurite = await AzuriteServer.StartAsync(folder);
        try
        {
            var engine = await LocalDurableEngine.StartAsync(new LocalEngineOptions { StorageConnectionString = azurite.ConnectionString, StopWait = EngineFixture.TestStopWait });
            var partitions = new TableClient(azurite.ConnectionString, LocalEngineOptions.DefaultTaskHubName + "Partitions");
            var owned = await OwnersAsync(partitions);
            Assert.NotEmpty(owned); // a dispatching engine owns its partitions

            await engine.DisposeAsync();

            Assert.Empty(await OwnersAsync(partitions));
        }
        finally
        {
            await TestFolders.EndAsync(folder, azurite);
        }
    }

    private static async Task<List<string>> OwnersAsync(TableClient partitions)
    {
        var owners = new List<string>();
        await foreach (var lease in partitions.QueryAsync<TableEntity>(maxPerPage: 100))
        {
            if (lease.GetString("CurrentOwner") is { Length: > 0 } owner)
            {
                owners.Add(lease.RowKey + " " + owner);
            }
        }

        return owners;
    }
}
