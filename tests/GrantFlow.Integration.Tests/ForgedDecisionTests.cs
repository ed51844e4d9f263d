using GrantFlow.Contracts;
using GrantFlow.Workflows.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>Decisions raised on the task hub that the decisions table does not back (issue 17's red team): no money moves.</summary>
public abstract class ForgedDecisionTests(EngineFixture fixture)
{
    [Fact]
    public async Task Signals_the_decisions_table_does_not_back_move_no_money_the_run_fails_saying_why_and_nothing_is_written()
    {
        // Someone who can reach the task hub raises "decisions" nobody recorded: the run acts on the signals (they
        // carry a decision), and its ledger step, checking them against the decisions table, refuses.
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("medical-assistance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));
        var repository = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Runs.RunRepository>();
        async Task AwaitStatusAsync(string status)
        {
            for (var i = 0; i < 300 && (await repository.FindAsync(run.RunId))!.Status != status; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(status, (await repository.FindAsync(run.RunId))!.Status);
        }

        await AwaitStatusAsync(RunStatuses.AwaitingReview);
        foreach (var (stage, by) in new[] { ("review", "mallory"), ("approval", "mallory.too") })
        {
            var forged = System.Text.Json.JsonSerializer.Serialize(new GrantFlow.Domain.Approvals.ApprovalDecision(run.RunId, stage, by, true, null, DateTimeOffset.UtcNow), GrantFlow.Workflows.Storage.WorkflowJson.Options);
            await fixture.Engine.Client.RaiseEventAsync(run.RunId, GrantFlow.Workflows.Runs.AllocationRunOrchestrator.DecisionEvent(stage), forged);
            if (stage == "review")
            {
                await AwaitStatusAsync(RunStatuses.AwaitingApproval);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await fixture.Engine.Client.WaitForInstanceCompletionAsync(run.RunId, timeout.Token);
        var failed = (await repository.FindAsync(run.RunId))!;
        Assert.Equal(RunStatuses.Failed, failed.Status);
        Assert.Contains("is not the one recorded", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(run.RunId));
        Assert.Null(failed.LedgerHeadHash);
    }
}
