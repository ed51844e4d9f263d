using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Tampering with the ledger table directly (Azure.Data.Tables on Azurite) is caught and located.</summary>
public abstract class LedgerTamperTests(EngineFixture fixture)
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

    private TableClient RunsTable => new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowRuns");

    /// <summary>An edited amount the verification of everything (and of the year) must still find.</summary>
    private async Task EditAmountAsync(string runId)
    {
        var row = (await Ledger.GetEntityAsync<TableEntity>(runId, "000005")).Value;
        row["AmountYuan"] = (row.GetInt64("AmountYuan") ?? 0) + 777;
        await Ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);
    }

    [Fact]
    public async Task A_run_record_stripped_of_its_anchor_does_not_hide_its_ledger()
    {
        var runId = await fixture.CompleteRunAsync();
        await EditAmountAsync(runId);
        var record = (await RunsTable.GetEntityAsync<TableEntity>(runId, "run")).Value;
        record.Remove("LedgerHeadHash");
        record.Remove("LedgerEntries");
        await RunsTable.UpdateEntityAsync(record, ETag.All, TableUpdateMode.Replace);
        var year = record.GetInt32("FiscalYear")!.Value;

        foreach (var report in new[] { await Audit.VerifyAllAsync(), await Audit.VerifyAllAsync(year) })
        {
            var run = Assert.Single(report, r => r.RunId == runId);
            Assert.Contains(run.Problems, p => p.Kind == LedgerProblem.Anchor && p.Message.Contains("anchor was removed", StringComparison.Ordinal));
            Assert.Contains(run.Problems, p => p.RowKey == "000005" && p.Kind == LedgerProblem.Edited);
        }
    }

    [Fact]
    public async Task A_deleted_run_record_does_not_hide_its_ledger()
    {
        var runId = await fixture.CompleteRunAsync();
        var year = (await RunsTable.GetEntityAsync<TableEntity>(runId, "run")).Value.GetInt32("FiscalYear")!.Value;
        await EditAmountAsync(runId);
        await RunsTable.DeleteEntityAsync(runId, "run");

        foreach (var report in new[] { await Audit.VerifyAllAsync(), await Audit.VerifyAllAsync(year) })
        {
            var run = Assert.Single(report, r => r.RunId == runId);
            Assert.Contains(run.Problems, p => p.Kind == LedgerProblem.MissingRecord);
            Assert.Contains(run.Problems, p => p.RowKey == "000005" && p.Kind == LedgerProblem.Edited);
        }

        Assert.Contains((await Audit.VerifyRunAsync(runId))!.Problems, p => p.Kind == LedgerProblem.MissingRecord);
    }

    [Fact]
    public async Task A_consistent_rewrite_of_a_whole_run_is_caught_by_the_external_anchor_and_the_notices()
    {
        var runId = await fixture.CompleteRunAsync();
        var ledger = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Ledger.LedgerRepository>();

        // The attacker moves 1,000,000 yuan from row 8 to row 7, explanations included, recomputes every hash,
        // rewrites every row and updates the run record's anchor: the chain, the amounts and the record agree.
        var entries = (await ledger.ReadRunAsync(runId)).OrderBy(e => e.Sequence).ToList();
        string Shift(string digest, long by) => string.Join("; ", digest.Split("; ").Select(p => p.StartsWith("adj=", StringComparison.Ordinal) ? $"adj={long.Parse(p[4..], System.Globalization.CultureInfo.InvariantCulture) + by}" : p));
        entries[6] = entries[6] with { AmountYuan = entries[6].AmountYuan + 1_000_000, ExplanationDigest = Shift(entries[6].ExplanationDigest, 1_000_000) };
        entries[7] = entries[7] with { AmountYuan = entries[7].AmountYuan - 1_000_000, ExplanationDigest = Shift(entries[7].ExplanationDigest, -1_000_000) };
        var forged = LedgerChain.Link(entries);
        foreach (var e in forged)
        {
            var row = (await Ledger.GetEntityAsync<TableEntity>(runId, GrantFlow.Workflows.Ledger.LedgerRepository.RowKeyFor(e.Sequence))).Value;
            row["AmountYuan"] = e.AmountYuan;
            row["ExplanationDigest"] = e.ExplanationDigest;
            row["PreviousHash"] = e.PreviousHash;
            row["Hash"] = e.Hash;
            await Ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }

        var record = (await RunsTable.GetEntityAsync<TableEntity>(runId, "run")).Value;
        record["LedgerHeadHash"] = forged[^1].Hash;
        await RunsTable.UpdateEntityAsync(record, ETag.All, TableUpdateMode.Replace);
        Assert.True(LedgerVerifier.Verify(runId, (await ledger.ReadStoredAsync(runId)), new LedgerAnchor(forged[^1].Hash, 31, 3_505_000_000)).Intact); // the table alone looks fine

        var problems = await ProblemsAsync(runId);

        Assert.Contains(problems, p => p.Kind == LedgerProblem.Anchor && p.Message.StartsWith("external anchor", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Notice && p.Message.Contains("chain head", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == LedgerProblem.Notice && p.Message.Contains("entry hash", StringComparison.Ordinal));
    }
}
