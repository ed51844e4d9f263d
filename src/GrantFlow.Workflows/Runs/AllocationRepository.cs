using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Domain.Allocation;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Runs;

/// <summary>A run's draft allocation: one row per province (partition = run id, row = province code) with its explanation.</summary>
public sealed class AllocationRepository(GrantFlowTables storage)
{
    /// <summary>
    /// Stores the draft. For a settlement, <paramref name="advanced"/> holds what each province was advanced: the row's
    /// amount is then the difference (settled minus advanced; negative = recovery), with both figures kept beside it.
    /// </summary>
    public async Task SaveDraftAsync(string runId, AllocationResult result, IReadOnlyDictionary<string, long>? advanced = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        await storage.EnsureCreatedAsync(cancellationToken);
        var entities = result.Provinces.Select(p =>
        {
            var entity = new TableEntity(runId, p.Code)
            {
                ["NameEn"] = p.NameEn,
                ["NameZh"] = p.NameZh,
                ["AmountYuan"] = p.AmountYuan,
                ["FloorBound"] = p.Explanation.FloorBound,
                ["Explanation"] = JsonSerializer.Serialize(p.Explanation, WorkflowJson.Options),
            };
            if (advanced is not null)
            {
                var before = advanced.GetValueOrDefault(p.Code);
                entity["AdvancedYuan"] = before;
                entity["SettledYuan"] = p.AmountYuan;
                entity["AmountYuan"] = p.AmountYuan - before;
            }

            return entity;
        }).ToList();
        await TableBatches.InsertMissingAsync(storage.Allocations, runId, entities, cancellationToken);
    }

    /// <summary>A correction's single draft row (the province of the original run with its corrected amount).</summary>
    public async Task SaveCorrectionDraftAsync(string runId, ProvinceAllocation row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await storage.EnsureCreatedAsync(cancellationToken);
        await TableBatches.InsertMissingAsync(
            storage.Allocations,
            runId,
            [
                new TableEntity(runId, row.Code)
                {
                    ["NameEn"] = row.NameEn,
                    ["NameZh"] = row.NameZh,
                    ["AmountYuan"] = row.AmountYuan,
                    ["FloorBound"] = row.Explanation.FloorBound,
                    ["Explanation"] = JsonSerializer.Serialize(row.Explanation, WorkflowJson.Options),
                },
            ],
            cancellationToken);
    }

    /// <summary>A settlement's advanced and settled figures per province (empty for an advance).</summary>
    public async Task<IReadOnlyDictionary<string, (long Advanced, long Settled)>> LoadSettlementFiguresAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var figures = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await foreach (var e in storage.Allocations.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            if (e.GetInt64("SettledYuan") is { } settled)
            {
                figures[e.RowKey] = (e.GetInt64("AdvancedYuan") ?? 0, settled);
            }
        }

        return figures;
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
