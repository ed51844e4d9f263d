using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Tampering with the ledger table directly (Azure.Data.Tables on Azurite) is caught and located.</summary>
public class LedgerTamperTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private TableClient Ledger => new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowLedger");

    private LedgerAuditService Audit => fixture.Engine.Services.GetRequiredService<LedgerAuditService>();

    private async Task<IReadOnlyList<LedgerProblem>> ProblemsAsync(string runId) => (await Audit.VerifyRunAsync(runId))!.Problems;

    [Fact]
    public async Task An_untouched_run_verifies()
    {
        var runId = await fixture.CompleteRunAsync();

        var result = await Audit.VerifyRunAsync(runId);

        Assert.True(result!.Intact);
        Assert.Equal(31, result.EntriesChecked);
    }

    [Fact]
    public async Task An_edited_amount_is_caught()
    {
        var runId = await fixture.CompleteRunAsync();
        var row = (await Ledger.GetEntityAsync<TableEntity>(runId, "000007")).Value;
        row["AmountYuan"] = (row.GetInt64("AmountYuan") ?? 0) + 1_000_000;
        await Ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);

        var problems = await ProblemsAsync(runId);

        Assert.Contains(problems, p => p.RowKey == "000007" && p.Kind == LedgerProblem.Edited);
        Assert.Contains(problems, p => p.RowKey == "000007" && p.Kind == LedgerProblem.Amount);
    }

    [Fact]
    public async Task A_deleted_row_is_caught()
    {
        var runId = await fixture.CompleteRunAsync();
        await Ledger.DeleteEntityAsync(runId, "000012");

        var problems = await ProblemsAsync(runId);

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Deleted && p.Message.Contains("entry 12", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Amount && p.Message.Contains("add up to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_inserted_row_is_caught()
    {
        var runId = await fixture.CompleteRunAsync();
        var copy = (await Ledger.GetEntityAsync<TableEntity>(runId, "000003")).Value;
        copy.RowKey = "000003x";
        await Ledger.AddEntityAsync(copy);

        var problems = await ProblemsAsync(runId);

        Assert.Contains(problems, p => p.RowKey == "000003x" && p.Kind == LedgerProblem.Inserted);
    }

    [Fact]
    public async Task Swapped_rows_are_caught_as_reordered()
    {
        var runId = await fixture.CompleteRunAsync();
        var a = (await Ledger.GetEntityAsync<TableEntity>(runId, "000004")).Value;
        var b = (await Ledger.GetEntityAsync<TableEntity>(runId, "000009")).Value;
        (a.RowKey, b.RowKey) = (b.RowKey, a.RowKey);
        await Ledger.UpsertEntityAsync(a, TableUpdateMode.Replace);
        await Ledger.UpsertEntityAsync(b, TableUpdateMode.Replace);

        var problems = await ProblemsAsync(runId);

        Assert.Contains(problems, p => p.RowKey == "000009" && p.Kind == LedgerProblem.Reordered && p.Message.Contains("entry 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.RowKey == "000004" && p.Kind == LedgerProblem.Reordered && p.Message.Contains("entry 9", StringComparison.Ordinal));
    }
}
