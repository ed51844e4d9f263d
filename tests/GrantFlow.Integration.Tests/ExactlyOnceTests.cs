using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using GrantFlow.Contracts;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// At-least-once delivery, checked where it bites: a notice resent after a crash on a queue already holding hundreds
/// of messages, and every activity of a finished run delivered again, late and twice.
/// </summary>
public abstract class ExactlyOnceTests(EngineFixture fixture)
{
    private TableClient Outbox => new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowOutbox");

    private QueueClient Queue(string code) => new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient($"notices-{code}");

    private static async Task<List<string>> DrainAsync(QueueClient queue)
    {
        var bodies = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } batch)
        {
            bodies.AddRange(batch.Select(m => m.Body.ToString()));
        }

        return bodies;
    }

    /// <summary>
    /// Puts the province's notice of the run back into the state a crash leaves: the row says a send was attempted,
    /// but no message id was recorded; behind 300 other messages, the queue holds the notice (sent, not recorded) or not.
    /// </summary>
    private async Task<string> CrashBetweenSendAndRecordAsync(string runId, string code, bool messageWasSent)
    {
        var queue = Queue(code);
        var row = (await Outbox.GetEntityAsync<TableEntity>(runId, code)).Value;
        await queue.ClearMessagesAsync();
        foreach (var i in Enumerable.Range(0, 300))
        {
            await queue.SendMessageAsync($"{{\"noticeNumber\":\"GF-2019-filler-{code}-{i:D8}\"}}");
        }

        if (messageWasSent)
        {
            await queue.SendMessageAsync(row.GetString("Payload"));
        }

        row["Sent"] = false;
        row["SendAttempted"] = true;
        row["SendAttemptedAt"] = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2); // the host died two minutes ago
        row.Remove("MessageId");
        row.Remove("PopReceipt");
        await Outbox.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        return row.GetString("NoticeNumber");
    }

    [Theory]
    [InlineData("44", true)]
    [InlineData("45", false)]
    public async Task A_notice_interrupted_by_a_crash_is_on_a_deep_queue_exactly_once(string code, bool messageWasSent)
    {
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var number = await CrashBetweenSendAndRecordAsync(runId, code, messageWasSent);
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();

        var sent = await Task.WhenAll(outbox.DispatchAsync(runId), outbox.DispatchAsync(runId)); // and twice at once

        Assert.All(sent, s => Assert.Equal(31, s.Count));
        var peeked = (await Queue(code).PeekMessagesAsync(32)).Value;
        Assert.Equal(32, peeked.Length); // a scan leaves the queue's messages visible
        var others = (await Queue(code == "44" ? "11" : "12").PeekMessagesAsync(32)).Value;
        Assert.NotEmpty(others);
        Assert.All(others, m => Assert.True(m.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"a notice expires on {m.ExpiresOn}")); // notices never expire
        var bodies = await DrainAsync(Queue(code));
        Assert.Equal(300 + 1, bodies.Count);
        Assert.Single(bodies, b => b.Contains($"\"noticeNumber\":\"{number}\"", StringComparison.Ordinal));
        Assert.True((await Outbox.GetEntityAsync<TableEntity>(runId, code)).Value.GetBoolean("Sent"));
    }

    /// <summary>
    /// A pass-down's county notices share their province's county queue. A crash after the sends and before the ids
    /// were recorded leaves 40 of them attempted, unrecorded, on that queue behind 100 other messages: the dispatch
    /// that recovers them looks for all 40 on the same queue at once, and must find each (found by the soak: 154
    /// county notices for 121 counties, the concurrent scans hiding each other's messages).
    /// </summary>
    [Fact]
    public async Task County_notices_interrupted_by_a_crash_on_one_shared_queue_are_each_there_exactly_once()
    {
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var batch = "crash-" + Guid.NewGuid().ToString("N")[..12];
        var counties = EngineFixture.CountiesCsv("43").Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(40).Select(l => l[..6]).ToList();
        var queue = new QueueServiceClient(fixture.StorageConnectionString).GetQueueClient("notices-43-counties");
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        foreach (var i in Enumerable.Range(0, 100))
        {
            await queue.SendMessageAsync($"{{\"noticeNumber\":\"GF-2019-filler-43-{i:D8}\"}}");
        }

        await outbox.RecordMessagesAsync(batch, [.. counties.Select(c => new OutboxMessage(c, $"GF-2026-resident-insurance-{c}-{batch[6..14]}", $"{{\"noticeNumber\":\"GF-2026-resident-insurance-{c}-{batch[6..14]}\",\"provinceCode\":\"{c}\"}}"))]);
        foreach (var county in counties)
        {
            var row = (await Outbox.GetEntityAsync<TableEntity>(batch, county)).Value;
            await queue.SendMessageAsync(row.GetString("Payload")); // sent ...
            row["SendAttempted"] = true;
            row["SendAttemptedAt"] = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2); // ... and the host died before recording it
            await Outbox.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }

        Assert.Equal(40, (await outbox.DispatchAsync(batch, fileUnderRecipient: false)).Count);

        var bodies = await DrainAsync(queue);
        Assert.Equal(100 + 40, bodies.Count);
        Assert.All(counties, c => Assert.Single(bodies, b => b.Contains($"\"provinceCode\":\"{c}\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_activity_of_a_finished_run_delivered_again_late_and_twice_changes_nothing()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var steps = fixture.Engine.Services.GetRequiredService<AllocationRunSteps>();
        var record = (await fixture.Runs.GetAsync(runId))!.Run;
        var instance = await fixture.Engine.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
        var result = instance!.ReadOutputAs<AllocationRunResult>()!;
        var before = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        var at = record.CompletedAt!.Value;

        for (var time = 0; time < 2; time++)
        {
            await steps.ComputeAsync(new RunReference(runId));
            foreach (var stage in new[] { RunStatuses.Computing, RunStatuses.AwaitingReview, RunStatuses.AwaitingApproval, RunStatuses.WritingLedger, RunStatuses.SendingNotices })
            {
                await steps.SetStatusAsync(new StageChange(runId, stage, null));
            }

            var ledgerEntry = (await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(runId))[0];
            await steps.WriteLedgerAsync(new LedgerWrite(runId, ledgerEntry.Approvals, ledgerEntry.RecordedAt));
            await steps.SendNoticesAsync(new NoticeDispatch(runId, at));
            await steps.CompleteAsync(new RunCompletion(runId, RunStatuses.Completed, null, result.StageTimings, at));
            await steps.CompleteAsync(new RunCompletion(runId, RunStatuses.Failed, "a late failure report", result.StageTimings, at.AddMinutes(1)));
        }

        var after = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        Assert.True(before.SequenceEqual(after), string.Join("; ", after.Except(before).Take(5)));
        Assert.Equal(record, (await fixture.Runs.GetAsync(runId))!.Run);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await fixture.Engine.Client.GetInstanceAsync(runId))!.RuntimeStatus);
    }

    /// <summary>
    /// The engine sends an activity before it saves the episode that scheduled it; killed in between, it replays the
    /// episode later, at a later time, and runs the activity again with that time. Found by the crash test inside a
    /// pass-down ("already has an external anchor with another chain head"). The second attempt must write nothing new.
    /// </summary>
    [Fact]
    public async Task Ledger_and_notices_activities_repeated_with_a_later_orchestration_time_build_the_same_entries_and_notices()
    {
        var repository = fixture.Engine.Services.GetRequiredService<RunRepository>();
        var steps = fixture.Engine.Services.GetRequiredService<AllocationRunSteps>();
        var runId = Guid.NewGuid().ToString("N");
        await repository.CreateAsync(
            new RunRecord
            {
                RunId = runId,
                Program = "service-capacity",
                FiscalYear = 2094,
                EnvelopeYuan = 3_505_000_000,
                StartedBy = "official.li",
                StartedAt = DateTimeOffset.UtcNow,
                Status = RunStatuses.Started,
            },
            EngineFixture.Parameters("service-capacity", 2094),
            EngineFixture.ProvincesCsv);
        await steps.ComputeAsync(new RunReference(runId));
        var decisions = fixture.Engine.Services.GetRequiredService<DecisionRepository>();
        await decisions.TryRecordAsync(new GrantFlow.Domain.Approvals.ApprovalDecision(runId, "review", "reviewer.wang", true, null, DateTimeOffset.UtcNow));
        await decisions.TryRecordAsync(new GrantFlow.Domain.Approvals.ApprovalDecision(runId, "approval", "approver.zhao", true, null, DateTimeOffset.UtcNow));
        await steps.SetStatusAsync(new StageChange(runId, RunStatuses.WritingLedger, null));
        var first = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

        var written = await steps.WriteLedgerAsync(new LedgerWrite(runId, "review:reviewer.wang;approval:approver.zhao", first));
        var rewritten = await steps.WriteLedgerAsync(new LedgerWrite(runId, "review:reviewer.wang;approval:approver.zhao", first.AddSeconds(7)));
        await steps.SetStatusAsync(new StageChange(runId, RunStatuses.SendingNotices, null));
        await steps.SendNoticesAsync(new NoticeDispatch(runId, first.AddSeconds(1)));
        var notices = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        await steps.SendNoticesAsync(new NoticeDispatch(runId, first.AddSeconds(9)));

        Assert.Equal(31, written.Written);
        Assert.Equal(0, rewritten.Written);
        Assert.Equal(written.HeadHash, rewritten.HeadHash);
        Assert.All(await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(runId), e => Assert.Equal(first, e.RecordedAt));
        Assert.Equal(notices, await StorageSnapshot.TakeAsync(fixture.StorageConnectionString));
        var guangdong = (await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync("44")).Single(n => n.RunId == runId);
        Assert.Equal(first.AddSeconds(1), guangdong.IssuedAt);
    }

    [Fact]
    public async Task A_run_stored_but_never_scheduled_is_scheduled_by_the_recovery_sweep()
    {
        var repository = fixture.Engine.Services.GetRequiredService<RunRepository>();
        var runId = Guid.NewGuid().ToString("N");
        var record = new RunRecord
        {
            RunId = runId,
            Program = "medical-assistance",
            FiscalYear = 2095,
            EnvelopeYuan = 26_686_000_000,
            StartedBy = "official.li",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-2), // the host died right after storing it
            Status = RunStatuses.Started,
            ApprovalTimeout = TimeSpan.FromMinutes(10),
            DecisionRecheck = TimeSpan.FromMilliseconds(500),
        };
        await repository.CreateAsync(record, EngineFixture.Parameters("medical-assistance", 2095), EngineFixture.ProvincesCsv);
        Assert.Null(await fixture.Engine.Client.GetInstanceAsync(runId));

        var recovered = await fixture.Runs.RecoverAsync(TimeSpan.FromSeconds(30));
        var again = await fixture.Runs.RecoverAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(runId, recovered.Scheduled);
        Assert.DoesNotContain(runId, again.Scheduled.Concat(again.Restarted).Concat(again.Failed));
        await fixture.ApproveAndCompleteAsync(runId);
        Assert.Equal(RunStatuses.Completed, (await repository.FindAsync(runId))!.Status);
    }

    [Fact]
    public async Task Each_sent_notice_is_filed_once_under_its_province_where_listing_and_acknowledgement_read_it()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        await outbox.DispatchAsync(runId); // a retried dispatch files nothing twice
        var index = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowNotices");

        var filed = index.Query<TableEntity>(filter: $"RunId eq '{runId}'").ToList();

        Assert.Equal(31, filed.Count);
        Assert.Equal(31, filed.Select(e => e.PartitionKey).Distinct().Count());
        var guangdong = Assert.Single(filed, e => e.PartitionKey == "44");
        var listed = Assert.Single(await outbox.ListForProvinceAsync("44"), n => n.RunId == runId);
        Assert.Equal(listed.NoticeNumber, guangdong.RowKey);
        var ack = await outbox.AcknowledgeAsync("44", listed.NoticeNumber, "guangdong.finance", DateTimeOffset.UtcNow);
        Assert.Equal("guangdong.finance", (await index.GetEntityAsync<TableEntity>("44", listed.NoticeNumber)).Value.GetString("AcknowledgedBy"));
        Assert.Equal(ack, await outbox.AcknowledgeAsync("44", listed.NoticeNumber, "someone.else", DateTimeOffset.UtcNow));
        Assert.Null(await outbox.AcknowledgeAsync("45", listed.NoticeNumber, "guangxi.finance", DateTimeOffset.UtcNow)); // not Guangxi's notice
    }

    [Fact]
    public async Task A_run_whose_orchestration_was_lost_is_restarted_from_its_record_and_one_whose_orchestration_was_terminated_is_failed()
    {
        // The task hub lost (an operator deleted its tables and queues): the orchestration of a run awaiting review is
        // gone, while its record, input and decisions remain.
        var repository = fixture.Engine.Services.GetRequiredService<RunRepository>();
        var lost = await fixture.Runs.StartAsync(fixture.ParametersFor("medical-assistance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        var terminated = await fixture.Runs.StartAsync(fixture.ParametersFor("medical-assistance"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        foreach (var id in new[] { lost.RunId, terminated.RunId })
        {
            for (var i = 0; i < 100 && (await repository.FindAsync(id))!.Status != RunStatuses.AwaitingStage(GrantFlow.Domain.Approvals.ApprovalStages.Review); i++)
            {
                await Task.Delay(100);
            }

            await fixture.Engine.Client.TerminateInstanceAsync(id);
            await fixture.Engine.Client.WaitForInstanceCompletionAsync(id);
        }

        await fixture.Engine.Client.PurgeInstanceAsync(lost.RunId);
        Assert.Null(await fixture.Engine.Client.GetInstanceAsync(lost.RunId));
        Assert.Equal(RunStatuses.AwaitingStage(GrantFlow.Domain.Approvals.ApprovalStages.Review), (await repository.FindAsync(lost.RunId))!.Status);

        var recovery = await fixture.Runs.RecoverAsync(TimeSpan.Zero);

        Assert.Contains(lost.RunId, recovery.Restarted);
        Assert.Contains(terminated.RunId, recovery.Failed);
        Assert.Contains(recovery.Lines(), l => l.Contains(lost.RunId, StringComparison.Ordinal) && l.StartsWith("Restarted", StringComparison.Ordinal));
        var failed = (await repository.FindAsync(terminated.RunId))!;
        Assert.Equal(RunStatuses.Failed, failed.Status);
        Assert.Contains("terminated", failed.Reason, StringComparison.Ordinal);
        await fixture.ApproveAndCompleteAsync(lost.RunId);
        Assert.Equal(31, (await fixture.Engine.Services.GetRequiredService<LedgerRepository>().ReadRunAsync(lost.RunId)).Count);

        // The failed run released nothing, so its year may be released by a new run; the restarted one holds its own.
        var again = await fixture.Runs.RecoverAsync(TimeSpan.Zero);
        Assert.Empty(again.Restarted.Concat(again.Failed).Concat(again.Scheduled));
    }
}
