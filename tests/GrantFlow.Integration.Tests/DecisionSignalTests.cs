using GrantFlow.Contracts;
using GrantFlow.Domain.Approvals;
using GrantFlow.Hosting.Local;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The approval wait on the real engine (the sidecar over Azure Storage on Azurite), its activities played by the test:
/// a decision's signal takes effect when it arrives, also when it arrives after a timed-out wait while the decisions
/// are being read (the SDK keeps it for the next wait rather than handing it to the timed-out one).
/// </summary>
public sealed class DecisionSignalTests : IAsyncLifetime
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(4);
    private readonly string _home = Path.Combine(Path.GetTempPath(), "grantflow-signal-" + Guid.NewGuid().ToString("N"));
    private readonly TaskCompletionSource _secondRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseSecondRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTime> _thirdRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _readsOfReview;
    private AzuriteServer? _azurite;
    private LocalDurableEngine? _engine;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(Path.Combine(_home, "azurite"));
        _engine = await LocalDurableEngine.StartAsync(new LocalEngineOptions
        {
            StorageConnectionString = _azurite.ConnectionString,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
            StopWait = EngineFixture.TestStopWait,
            Tasks = registry =>
            {
                registry.AddOrchestratorFunc<AllocationRunRequest, AllocationRunResult>(AllocationRunOrchestrator.Name, (context, request) => AllocationRunOrchestrator.RunAsync(context, request));
                foreach (var bookkeeping in new[] { ActivityNames.SetRunStatus, ActivityNames.CompleteRun })
                {
                    registry.AddActivityFunc(bookkeeping, (TaskActivityContext _) => Task.CompletedTask); // the run record is not the point here
                }

                registry.AddActivityFunc<object?, ComputeOutcome>(ActivityNames.ComputeAllocation, (_, _) => new ComputeOutcome(3_505_000_000, 31, 0));
                registry.AddActivityFunc<object?, LedgerOutcome>(ActivityNames.WriteLedger, (_, _) => new LedgerOutcome(31, 31, 3_505_000_000, "head"));
                registry.AddActivityFunc<object?, int>(ActivityNames.SendNotices, (_, _) => 31);
                registry.AddActivityFunc<DecisionQuery, ApprovalDecision?>(ActivityNames.FindDecision, (_, query) => FindDecisionAsync(query));
            },
        });
    }

    /// <summary>The decisions table as the test plays it: the reviewer decides while the second read runs.</summary>
    private async Task<ApprovalDecision?> FindDecisionAsync(DecisionQuery query)
    {
        if (query.Stage == ApprovalStages.Approval)
        {
            return new ApprovalDecision(query.RunId, query.Stage, "zhao", true, null, DateTimeOffset.UtcNow);
        }

        switch (Interlocked.Increment(ref _readsOfReview))
        {
            case 1:
                return null; // nothing yet: the first re-check timer runs out
            case 2:
                // This read began before the reviewer's decision was stored; the signal arrives while it runs.
                _secondRead.TrySetResult();
                await _releaseSecondRead.Task;
                return null;
            default:
                _thirdRead.TrySetResult(DateTime.UtcNow);
                return new ApprovalDecision(query.RunId, query.Stage, "wang", true, null, DateTimeOffset.UtcNow);
        }
    }

    public async Task DisposeAsync()
    {
        _releaseSecondRead.TrySetResult();
        await TestFolders.EndAsync(_home, _engine, _azurite);
    }

    [Fact]
    public async Task A_signal_that_arrives_while_the_decisions_are_being_read_is_acted_on_without_waiting_for_the_next_recheck()
    {
        var client = _engine!.Client;
        var runId = await client.ScheduleNewOrchestrationInstanceAsync(AllocationRunOrchestrator.Name, new AllocationRunRequest("run-1", TimeSpan.FromHours(1), Recheck));
        await _secondRead.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await client.RaiseEventAsync(runId, AllocationRunOrchestrator.DecisionEvent(ApprovalStages.Review), ApprovalStages.Review);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the signal reaches the orchestration while the read still runs
        var released = DateTime.UtcNow;
        _releaseSecondRead.TrySetResult();

        // Acted on at once: the table is read again before the next re-check (twice the first) could have run out.
        var readAgain = await _thirdRead.Task.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(readAgain - released < 2 * Recheck, $"the signal waited {(readAgain - released).TotalSeconds:0.0} s for the re-check timer");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var done = await client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(RunStatuses.Completed, done.ReadOutputAs<AllocationRunResult>()!.Status);
    }
}
