using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Storage;

/// <summary>The tables, container and queues of GrantFlow, created on first use.</summary>
public sealed class GrantFlowTables(
    TableServiceClient tables,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<GrantFlowStorageOptions> options) : IDisposable
{
    private readonly GrantFlowStorageOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

    public GrantFlowStorageOptions Options => _options;

    public void Dispose() => _gate.Dispose();

    public TableClient Runs => tables.GetTableClient(_options.RunsTable);
    public TableClient Allocations => tables.GetTableClient(_options.AllocationsTable);
    public TableClient Decisions => tables.GetTableClient(_options.DecisionsTable);
    public TableClient Ledger => tables.GetTableClient(_options.LedgerTable);
    public TableClient LedgerIndex => tables.GetTableClient(_options.LedgerIndexTable);
    public TableClient Outbox => tables.GetTableClient(_options.OutboxTable);
    public TableClient Notices => tables.GetTableClient(_options.NoticesTable);
    public TableClient Chase => tables.GetTableClient(_options.ChaseTable);
    public TableClient Disputes => tables.GetTableClient(_options.DisputesTable);
    public BlobContainerClient Inputs => blobs.GetBlobContainerClient(_options.InputContainer);

    /// <summary>The external ledger anchors (immutable storage in Azure).</summary>
    public BlobContainerClient Anchors => blobs.GetBlobContainerClient(_options.AnchorContainer);

    public QueueClient NoticeQueue(string provinceCode) => queues.GetQueueClient(_options.NoticeQueue(provinceCode));

    /// <summary>Creates the tables and the container if they do not exist yet (idempotent).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_created)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_created)
            {
                return;
            }

            foreach (var table in new[] { Runs, Allocations, Decisions, Ledger, LedgerIndex, Outbox, Notices, Chase, Disputes })
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
            }

            await Inputs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await Anchors.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _created = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
