using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Integration.Tests;

/// <summary>Allocation runs on the real engine over Azurite.</summary>
public abstract class AllocationRunTests(EngineFixture fixture)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(500);

    private async Task<string> StartAsync(string program = "service-capacity", TimeSpan? timeout = null)
    {
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor(program), EngineFixture.ProvincesCsv, "official.li", timeout ?? TimeSpan.FromMinutes(10), Recheck);
        await WaitForStatusAsync(run.RunId, RunStatuses.AwaitingReview);
        return run.RunId;
    }

    private async Task WaitForStatusAsync(string runId, string status)
    {
        for (var i = 0; i < 300; i++)
        {
            var view = await fixture.Runs.GetAsync(runId);
            if (view?.Run.Status == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"run {runId} never reached {status}");
    }

    private async Task<AllocationRunResult> CompletionAsync(string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await fixture.Engine.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<AllocationRunResult>()!;
    }

    [Fact]
    public async Task An_approved_run_writes_each_ledger_entry_and_each_notice_once_with_exact_totals()
    {
        var runId = await StartAsync();

        Assert.Equal(DecisionOutcome.Recorded, (await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", true, null)).Outcome);
        Assert.Equal(DecisionOutcome.Recorded, (await fixture.Approvals.DecideAsync(runId, ApprovalStages.Approval, "approver.zhao", true, null)).Outcome);
        var result = await CompletionAsync(runId);

        Assert.Equal(RunStatuses.Completed, result.Status);
        var entries = await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(runId);
        Assert.Equal(31, entries.Count);
        Assert.Equal(3_505_000_000L, entries.Sum(e => e.AmountYuan));
        Assert.Equal(31, entries.Select(e => e.ProvinceCode).Distinct().Count());
        Assert.Empty(LedgerChain.Verify(entries));
        Assert.All(entries, e => Assert.Equal("review:reviewer.wang;approval:approver.zhao", e.Approvals));

        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var tables = fixture.Engine.Services.GetRequiredService<GrantFlowTables>();
        foreach (var code in entries.Select(e => e.ProvinceCode))
        {
            var peeked = await tables.NoticeQueue(code).PeekMessagesAsync(32);
            Assert.Single(peeked.Value, m => m.Body.ToString().Contains(runId, StringComparison.Ordinal));
            Assert.Single(await outbox.ListForProvinceAsync(code), n => n.RunId == runId);
        }
    }

    [Fact]
    public async Task A_rejected_run_ends_with_its_reason_and_writes_no_ledger()
    {
        var runId = await StartAsync();

        var decision = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", false, "Tibet figures are from 2024");
        var result = await CompletionAsync(runId);

        Assert.Equal(DecisionOutcome.Recorded, decision.Outcome);
        Assert.Equal(RunStatuses.Rejected, result.Status);
        Assert.Contains("Tibet figures are from 2024", result.Reason, StringComparison.Ordinal);
        Assert.Empty(await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(runId));
    }

    [Fact]
    public async Task A_long_wait_leaves_a_bounded_history_and_ends_at_its_deadline()
    {
        // 20 s of waiting with a 50 ms first re-check: 400 wake-ups (~3,200 history rows) at a fixed interval;
        // growing intervals and continue-as-new keep it to a handful.
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("medical-assistance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));

        var result = await CompletionAsync(run.RunId);

        Assert.Equal(RunStatuses.Expired, result.Status);
        var record = (await fixture.Runs.GetAsync(run.RunId))!.Run;
        Assert.Equal(RunStatuses.Expired, record.Status);
        Assert.InRange((record.CompletedAt!.Value - record.StartedAt).TotalSeconds, 20, 40);
        var history = new Azure.Data.Tables.TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowHubHistory");
        var rows = history.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == run.RunId, select: ["RowKey"]).Count();
        Assert.True(rows < 250, $"{rows} history rows after a 20 s wait");
    }

    [Fact]
    public async Task A_run_whose_activity_fails_for_good_ends_failed_with_its_reason_and_frees_its_year()
    {
        var parameters = EngineFixture.Parameters("medical-assistance", 2098);
        var run = await fixture.Runs.StartAsync(parameters, EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), Recheck);
        // Storage loses the run's input before it is computed: every attempt of the compute activity fails.
        var inputs = new Azure.Storage.Blobs.BlobServiceClient(fixture.StorageConnectionString).GetBlobContainerClient("grantflow-run-inputs");
        await inputs.DeleteBlobIfExistsAsync($"{run.RunId}/provinces.csv");

        var result = await CompletionAsync(run.RunId);

        Assert.Equal(RunStatuses.Failed, result.Status);
        var record = (await fixture.Runs.GetAsync(run.RunId))!.Run;
        Assert.Equal(RunStatuses.Failed, record.Status);
        Assert.Contains("ComputeAllocation failed", record.Reason, StringComparison.Ordinal);
        var next = await fixture.Runs.StartAsync(parameters, EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), Recheck); // nothing was released
        Assert.NotEqual(run.RunId, next.RunId);
    }

    [Fact]
    public async Task A_run_that_continued_as_new_while_waiting_still_takes_its_decisions_and_completes()
    {
        var runs = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Runs.RunRepository>();
        var record = new GrantFlow.Contracts.RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Program = "service-capacity",
            FiscalYear = 2097,
            EnvelopeYuan = 3_505_000_000,
            StartedBy = "official.li",
            StartedAt = DateTimeOffset.UtcNow,
            Status = RunStatuses.Started,
        };
        await runs.CreateAsync(record, EngineFixture.Parameters("service-capacity", 2097), EngineFixture.ProvincesCsv);
        // Three wake-ups per generation instead of 25, so the wait continues as new within a second or two.
        await fixture.Engine.Client.ScheduleNewOrchestrationInstanceAsync(
            AllocationRunOrchestrator.Name,
            new AllocationRunRequest(record.RunId, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100), WakeUpsPerGeneration: 3),
            new Microsoft.DurableTask.StartOrchestrationOptions(record.RunId));

        AllocationRunRequest? input = null;
        for (var i = 0; i < 200 && input?.Resume is not { Generation: >= 2 }; i++)
        {
            await Task.Delay(100);
            input = (await fixture.Engine.Client.GetInstanceAsync(record.RunId, getInputsAndOutputs: true))?.ReadInputAs<AllocationRunRequest>();
        }

        Assert.True(input?.Resume is { Generation: >= 2, Stage: "review" }, "the wait did not continue as new");
        var done = await fixture.ApproveAndCompleteAsync(record.RunId);

        Assert.Equal(RunStatuses.Completed, done.ReadOutputAs<AllocationRunResult>()!.Status);
        Assert.Equal(31, (await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(record.RunId)).Count);
        Assert.True((await fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Ledger.LedgerAuditService>().VerifyRunAsync(record.RunId))!.Intact);
    }

    [Fact]
    public async Task A_run_without_a_decision_before_the_deadline_expires()
    {
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("service-capacity"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromSeconds(2), Recheck);

        var result = await CompletionAsync(run.RunId);

        Assert.Equal(RunStatuses.Expired, result.Status);
        Assert.Empty(await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(run.RunId));
    }

    [Fact]
    public async Task The_initiator_may_not_approve_and_one_person_may_not_decide_both_stages()
    {
        var runId = await StartAsync();

        var own = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "official.li", true, null);
        var review = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", true, null);
        var twice = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Approval, "reviewer.wang", true, null);
        var again = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "someone.else", true, null);

        Assert.Equal(DecisionOutcome.Forbidden, own.Outcome);
        Assert.Equal(DecisionOutcome.Recorded, review.Outcome);
        Assert.Equal(DecisionOutcome.Forbidden, twice.Outcome);
        Assert.Equal(DecisionOutcome.Conflict, again.Outcome);
        var decisions = (await fixture.Runs.GetAsync(runId))!.Decisions;
        Assert.Single(decisions);
    }

    [Fact]
    public async Task The_same_decision_sent_again_by_the_same_person_is_answered_as_recorded_and_stored_once()
    {
        // An official whose first answer never came (or came as 503 after the write landed) sends it again.
        var runId = await StartAsync();

        var first = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", true, null);
        var again = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", true, null);
        var turned = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.wang", false, "changed my mind");
        var other = await fixture.Approvals.DecideAsync(runId, ApprovalStages.Review, "reviewer.zhou", true, null);

        Assert.Equal(DecisionOutcome.Recorded, first.Outcome);
        Assert.Equal(DecisionOutcome.Recorded, again.Outcome);
        Assert.Equal(DecisionOutcome.Conflict, turned.Outcome); // a different decision is not a repeat
        Assert.Equal(DecisionOutcome.Conflict, other.Outcome);
        var decision = Assert.Single((await fixture.Runs.GetAsync(runId))!.Decisions);
        Assert.Equal("reviewer.wang", decision.DecidedBy);
        Assert.True(decision.Approved);
    }

    [Fact]
    public async Task Invalid_input_is_refused_before_anything_is_written()
    {
        var before = await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null);

        await Assert.ThrowsAsync<InputValidationException>(() =>
            fixture.Runs.StartAsync(EngineFixture.Parameters("service-capacity"), "province_code,name_en\n11,Beijing\n", "official.li"));

        Assert.Equal(before.Count, (await fixture.Engine.Services.GetRequiredService<RunRepository>().ListAsync(null)).Count);
    }

    [Fact]
    public async Task A_run_whose_start_message_is_delivered_again_goes_on_to_complete()
    {
        // DurableTask.AzureStorage writes an episode's history before it deletes the messages that caused it: a crash
        // or a storage fault in between delivers the start message again.
        var runId = await StartAsync();
        long droppedStarts = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == GrantFlow.Workflows.Telemetry.GrantFlowTelemetry.EngineMessagesDropped)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "event_type" && (string?)tag.Value == "ExecutionStarted")
                {
                    Interlocked.Add(ref droppedStarts, value);
                }
            }
        });
        listener.Start();
        var storage = new DurableTask.AzureStorage.AzureStorageOrchestrationService(new DurableTask.AzureStorage.AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = GrantFlow.Hosting.Local.LocalEngineOptions.DefaultTaskHubName,
            StorageAccountClientProvider = new DurableTask.AzureStorage.StorageAccountClientProvider(fixture.StorageConnectionString),
        });
        var state = await storage.GetOrchestrationStateAsync(runId, executionId: null);
        Assert.NotNull(state);
        var instance = state.OrchestrationInstance;
        await storage.SendTaskOrchestrationMessageAsync(new DurableTask.Core.TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new DurableTask.Core.History.ExecutionStartedEvent(-1, state.Input) { OrchestrationInstance = instance, Name = state.Name, Version = state.Version },
        });

        // A message left from another execution of the instance is not taken for this one's either.
        await storage.SendTaskOrchestrationMessageAsync(new DurableTask.Core.TaskMessage
        {
            OrchestrationInstance = new DurableTask.Core.OrchestrationInstance { InstanceId = runId, ExecutionId = Guid.NewGuid().ToString("N") },
            Event = new DurableTask.Core.History.TimerFiredEvent(-1) { TimerId = 0, FireAt = DateTime.UtcNow },
        });

        // The start is dropped before it reaches the orchestrator (given to it, it failed every episode); the other
        // execution's message is dropped there too, or already by the storage provider, depending on how it batches.
        // Then the run goes on.
        for (var i = 0; i < 300 && Interlocked.Read(ref droppedStarts) < 1; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(Interlocked.Read(ref droppedStarts) >= 1, "the redelivered start was not dropped");
        await fixture.ApproveAndCompleteAsync(runId);
        Assert.Equal(RunStatuses.Completed, (await fixture.Runs.GetAsync(runId))!.Run.Status);
    }
}
