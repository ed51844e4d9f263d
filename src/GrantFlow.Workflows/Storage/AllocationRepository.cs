using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Domain.Allocation;

namespace GrantFlow.Workflows.Storage;

/// <summary>A run's draft allocation: one row per province (partition = run id, row = province code) with its explanation.</summary>
public sealed class AllocationRepository(GrantFlowTables storage)
{
    public async Task SaveDraftAsync(string runId, AllocationResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        await storage.EnsureCreatedAsync(cancellationToken);
        var entities = result.Provinces.Select(p => new TableEntity(runId, p.Code)
        {
            ["NameEn"] = p.NameEn,
            ["NameZh"] = p.NameZh,
            ["AmountYuan"] = p.AmountYuan,
            ["FloorBound"] = p.Explanation.FloorBound,
            ["Explanation"] = JsonSerializer.Serialize(p.Explanation, WorkflowJson.Options),
        }).ToList();
        await TableBatches.InsertMissingAsync(storage.Allocations, runId, entities, cancellationToken);
    }

    public async Task<IReadOnlyList<ProvinceAllocation>> LoadAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var rows = new List<ProvinceAllocation>();
        await foreach (var e in storage.Allocations.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            rows.Add(new ProvinceAllocation
            {
                Code = e.RowKey,
                NameEn = e.GetString("NameEn"),
                NameZh = e.GetString("NameZh"),
                AmountYuan = e.GetInt64("AmountYuan") ?? 0,
                Explanation = JsonSerializer.Deserialize<AllocationExplanation>(e.GetString("Explanation"), WorkflowJson.Options)!,
            });
        }

        return rows.OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    }
}
