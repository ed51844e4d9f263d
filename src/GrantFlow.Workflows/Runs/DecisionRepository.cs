using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Runs;

/// <summary>Approval decisions (partition = run id, row = stage). A stage is decided once: the first write wins.</summary>
public sealed class DecisionRepository(GrantFlowTables storage)
{
    /// <summary>Records the decision; false when the stage was already decided.</summary>
    public async Task<bool> TryRecordAsync(ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            await storage.Decisions.AddEntityAsync(
                new TableEntity(decision.RunId, decision.Stage)
                {
                    ["DecidedBy"] = decision.DecidedBy,
                    ["Approved"] = decision.Approved,
                    ["Reason"] = decision.Reason,
                    ["DecidedAt"] = decision.DecidedAt,
                },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<ApprovalDecision?> FindAsync(string runId, string stage, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var response = await storage.Decisions.GetEntityIfExistsAsync<TableEntity>(runId, stage, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<IReadOnlyList<ApprovalDecision>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var list = new List<ApprovalDecision>();
        await foreach (var e in storage.Decisions.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    private static ApprovalDecision FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("DecidedBy"),
        e.GetBoolean("Approved") ?? false,
        e.GetString("Reason"),
        e.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue);
}
