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
    public TableClient RunIndex => tables.GetTableClient(_options.RunIndexTable);
    public TableClient Allocations => tables.GetTableClient(_options.AllocationsTable);
    public TableClient Decisions => tables.GetTableClient(_options.DecisionsTable);
    public TableClient Ledger => tables.GetTableClient(_options.LedgerTable);
    public TableClient LedgerIndex => tables.GetTableClient(_options.LedgerIndexTable);
    public TableClient Outbox => tables.GetTableClient(_options.OutboxTable);
    public TableClient Notices => tables.GetTableClient(_options.NoticesTable);
    public TableClient Chase => tables.GetTableClient(_options.ChaseTable);
    public TableClient Disputes => tables.GetTableClient(_options.DisputesTable);
    public TableClient Plans => tables.GetTableClient(_options.PlansTable);
    public BlobContainerClient Inputs => blobs.GetBlobContainerClient(_options.InputContainer);

    /// <summary>The external ledger anchors (immutable storage in Azure).</summary>
    public BlobContainerClient Anchors => blobs.GetBlobContainerClient(_options.AnchorContainer);

    public QueueClient NoticeQueue(string provinceCode) => queues.GetQueueClient(_options.NoticeQueue(provinceCode));

    /// <summary>A table of the same account outside GrantFlow's own (benchmarks write their raw comparison rows there).</summary>
    public TableClient ScratchTable(string name) => tables.GetTableClient(name);

    /// <summary>A queue of the same account outside GrantFlow's own (benchmarks send their raw comparison messages there).</summary>
    public QueueClient ScratchQueue(string name) => queues.GetQueueClient(name);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _createdQueues = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the notice queues of these recipients unless this process created them already (a queue is created once
    /// per process, not once per message: on Azurite a create costs as much as a send).
    /// </summary>
    public async Task EnsureQueuesAsync(IEnumerable<string> recipientCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipientCodes);
        foreach (var name in recipientCodes.Select(_options.NoticeQueue).Distinct(StringComparer.Ordinal))
        {
            if (!_createdQueues.ContainsKey(name))
            {
                await queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _createdQueues[name] = true;
            }
        }
    }

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

            foreach (var table in new[] { Runs, RunIndex, Allocations, Decisions, Ledger, LedgerIndex, Outbox, Notices, Chase, Disputes, Plans })
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
