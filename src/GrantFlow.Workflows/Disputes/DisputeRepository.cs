using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Disputes;

/// <summary>Disputes (table GrantFlowDisputes: partition = province code, row = notice number). Changes are conditional.</summary>
public sealed class DisputeRepository(GrantFlowTables storage)
{
    /// <summary>Records a new dispute; false when the notice is disputed already.</summary>
    public async Task<bool> TryAddAsync(Dispute dispute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            await storage.Disputes.AddEntityAsync(ToEntity(dispute), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<(Dispute Dispute, ETag ETag)?> FindAsync(string provinceCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = await storage.Disputes.GetEntityIfExistsAsync<TableEntity>(provinceCode, noticeNumber, cancellationToken: cancellationToken);
        return found.HasValue ? (FromEntity(found.Value!), found.Value!.ETag) : null;
    }

    /// <summary>Replaces the dispute if it has not changed since it was read; false when it has.</summary>
    public async Task<bool> TryReplaceAsync(Dispute dispute, ETag etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        try
        {
            await storage.Disputes.UpdateEntityAsync(ToEntity(dispute), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Dispute>> ListAsync(string? provinceCode, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var list = new List<Dispute>();
        var filter = provinceCode is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {provinceCode}");
        await foreach (var row in storage.Disputes.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(row));
        }

        return list;
    }

    private static TableEntity ToEntity(Dispute d) => new(d.ProvinceCode, d.NoticeNumber)
    {
        ["Document"] = JsonSerializer.Serialize(d, WorkflowJson.Options),
        ["Status"] = d.Status,
    };

    private static Dispute FromEntity(TableEntity e) => JsonSerializer.Deserialize<Dispute>(e.GetString("Document"), WorkflowJson.Options)!;
}
