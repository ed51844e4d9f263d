using GrantFlow.Contracts;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Workflows.Disputes;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// What an outside red team found let through (issue 17), each case as it was tried (forged decisions: ForgedDecisionTests): money no ledger can hold,
/// members named twice, an uphold refused or interrupted halfway, a queue search whose restore failed, a county's
/// acknowledgement, lenient reads. Each fails without its fix.
/// </summary>
public abstract class HardeningTests(EngineFixture fixture)
{
    private async Task<(string RunId, DisbursementNoticeRef Notice)> CompletedNoticeAsync(string province)
    {
        var runId = await fixture.CompleteRunAsync("medical-assistance");
        var notice = (await fixture.Engine.Services.GetRequiredService<NoticeOutbox>().ListForProvinceAsync(province)).Single(n => n.RunId == runId);
        return (runId, new DisbursementNoticeRef(notice.NoticeNumber, notice.AmountYuan));
    }

    private sealed record DisbursementNoticeRef(string Number, long AmountYuan);

    /// <summary>The chaser schedules new notices' pass-down deadlines in the background: waits for it before storage is compared.</summary>
    private async Task DeadlinesScheduledAsync()
    {
        var open = fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Notices.OpenNotices>();
        for (var i = 0; i < 600 && (await open.PendingPassDownsAsync()).Any(p => !p.DeadlineScheduled); i++)
        {
            await Task.Delay(100);
        }
    }

    private static string[] Fields(System.Text.Json.JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];

    [Fact]
    public async Task An_amount_no_ledger_can_hold_is_refused_where_it_enters_and_nothing_is_written()
    {
        var (runId, notice) = await CompletedNoticeAsync("44");
        await DeadlinesScheduledAsync(); // else a deadline started meanwhile reads as a write (a CI run saw it)
        var before = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);

        var correction = await fixture.CallAsync(HttpMethod.Post, "/api/corrections", "finance-officer", "official.chen", new { correctsRunId = runId, provinceCode = "44", amountYuan = long.MaxValue, reason = "x" });
        var beyondEnvelope = await fixture.CallAsync(HttpMethod.Post, "/api/corrections", "finance-officer", "official.chen", new { correctsRunId = runId, provinceCode = "44", amountYuan = 26_686_000_001L, reason = "x" });
        await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{notice.Number}/disputes", "province:44", "gd.finance", new { reason = "recount" });
        var afterDispute = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);
        var uphold = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{notice.Number}/resolution", "finance-officer", "official.chen", new { decision = "uphold", reason = "recount", amountYuan = long.MaxValue });

        Assert.Equal(HttpStatusCode.BadRequest, correction.Status);
        Assert.Contains("amountYuan", Fields(correction.Body));
        Assert.Equal(HttpStatusCode.BadRequest, beyondEnvelope.Status);
        Assert.Contains("envelope", beyondEnvelope.Body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, uphold.Status);
        Assert.Contains("amountYuan", Fields(uphold.Body));
        Assert.NotEqual(before, afterDispute); // the dispute itself was written
        Assert.Equal(afterDispute, await StorageSnapshot.TakeAsync(fixture.StorageConnectionString)); // the refused uphold wrote nothing
        var dispute = (await fixture.Engine.Services.GetRequiredService<DisputeRepository>().FindAsync("44", notice.Number))!.Value.Dispute;
        Assert.Equal(DisputeStatuses.Open, dispute.Status);
        Assert.Equal(["opened"], dispute.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task A_stored_entry_no_release_could_write_makes_totals_say_so_and_verification_name_its_row_never_a_500()
    {
        var runId = await fixture.CompleteRunAsync("service-capacity");
        var year = (await fixture.Runs.GetRecordAsync(runId))!.FiscalYear;
        var index = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowLedgerIndex");
        var row = index.Query<TableEntity>(e => e.PartitionKey == LedgerRepository.IndexPartition(year, "service-capacity")).First();
        row["AmountYuan"] = long.MaxValue; // tampered with in storage
        await index.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        var ledger = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowLedger");
        var entry = ledger.Query<TableEntity>(e => e.PartitionKey == runId).First();
        entry["AmountYuan"] = long.MaxValue;
        await ledger.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace);

        var totals = await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/totals?fiscalYear={year}", "auditor", "auditor.sun");
        var verify = await fixture.CallAsync(HttpMethod.Get, $"/api/ledger/verify?runId={runId}", "auditor", "auditor.sun");

        Assert.Equal(HttpStatusCode.Conflict, totals.Status);
        Assert.Contains("verify", totals.Body.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, verify.Status);
        Assert.False(verify.Body[0].GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_member_named_twice_is_a_400_naming_it_on_runs_and_pass_downs()
    {
        var parameters = EngineFixture.Parameters("service-capacity", 2090);
        var twiceProgram = parameters.Replace("\"program\"", "\"program\": \"medical-assistance\", \"program\"", StringComparison.Ordinal);
        var run = await fixture.CallAsync(HttpMethod.Post, "/api/runs", "finance-officer", "official.li", $$"""{"parameters": {{twiceProgram}}, "provincesCsv": {{JsonValue.Create(EngineFixture.ProvincesCsv).ToJsonString()}}}""");
        var passDown = await fixture.CallAsync(HttpMethod.Post, "/api/provinces/44/pass-downs", "province:44", "gd.finance",
            $$"""{"noticeNumber": "GF-2026-service-capacity-44-00000000", "parameters": {"fiscalYear": 2026, "fiscalYear": 2027}, "countiesCsv": "x"}""");
        var signIn = await fixture.Http.PostAsync("/local/sign-in", new StringContent("""{"user": "auditor.chen", "user": "official.li"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, run.Status);
        Assert.Contains("parameters.program", Fields(run.Body));
        Assert.Equal(HttpStatusCode.BadRequest, passDown.Status);
        Assert.Contains("parameters.fiscalYear", Fields(passDown.Body));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
    }

    [Fact]
    public async Task An_uphold_interrupted_before_its_link_is_completed_by_a_retry_or_the_sweep_with_one_correction_and_blocks_the_pass_down_meanwhile()
    {
        var (_, gd) = await CompletedNoticeAsync("44");
        var (_, gx) = await CompletedNoticeAsync("45");
        var repository = fixture.Engine.Services.GetRequiredService<DisputeRepository>();
        var service = fixture.Engine.Services.GetRequiredService<DisputeService>();
        foreach (var (code, notice) in new[] { ("44", gd), ("45", gx) })
        {
            await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{code}/notices/{notice.Number}/disputes", $"province:{code}", "finance", new { reason = "recount" });
            await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/{code}/notices/{notice.Number}/acknowledgement", $"province:{code}", "finance");

            // A crash right after the dispute was marked upheld, before its correction run was started.
            var (dispute, etag) = (await repository.FindAsync(code, notice.Number))!.Value;
            await repository.TryReplaceAsync(dispute with { Status = DisputeStatuses.Upholding, UpheldAmountYuan = notice.AmountYuan + 700, Steps = [.. dispute.Steps, new DisputeStep("upheld", "official.chen", DateTimeOffset.UtcNow.AddMinutes(-5), "recount confirmed")] }, etag);
        }

        // Meanwhile the notice is still in dispute: no pass-down.
        var passDown = new JsonObject { ["noticeNumber"] = gd.Number, ["parameters"] = JsonNode.Parse(EngineFixture.Parameters("medical-assistance")), ["countiesCsv"] = EngineFixture.CountiesCsv("44") }.ToJsonString();
        var blocked = await fixture.CallAsync(HttpMethod.Post, "/api/provinces/44/pass-downs", "province:44", "gd.finance", passDown);
        Assert.Equal(HttpStatusCode.Conflict, blocked.Status);

        // Guangdong: the same official upholds again (before: 409 for good, the dispute upheld with no correction).
        var body = new { decision = "uphold", reason = "recount confirmed", amountYuan = gd.AmountYuan + 700 };
        var retried = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{gd.Number}/resolution", "finance-officer", "official.chen", body);
        var again = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{gd.Number}/resolution", "finance-officer", "official.chen", body);
        var other = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{gd.Number}/resolution", "finance-officer", "official.liu", body);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        var correction = retried.Body.GetProperty("correctionRunId").GetString()!;
        Assert.Equal(correction, again.Body.GetProperty("correctionRunId").GetString());
        Assert.Equal(DisputeService.CorrectionRunIdOf("44", gd.Number), correction);

        // Guangxi: nobody retries; the recovery sweep completes it.
        var swept = await GrantFlow.Workflows.Recovery.RecoverySweep.RunAsync(fixture.Engine.Services, fixture.Engine.Client, TimeSpan.FromMinutes(1));
        Assert.Contains(swept, l => l.Contains(gx.Number, StringComparison.Ordinal));
        var guangxi = (await repository.FindAsync("45", gx.Number))!.Value.Dispute;
        Assert.Equal(DisputeStatuses.Upheld, guangxi.Status);
        Assert.Equal(DisputeService.CorrectionRunIdOf("45", gx.Number), guangxi.CorrectionRunId);

        await fixture.ApproveAndCompleteAsync(correction);
        var corrections = (await fixture.Runs.GetRecordAsync(correction))!;
        Assert.Equal(gd.AmountYuan + 700, corrections.EnvelopeYuan);
        var guangdong = (await repository.FindAsync("44", gd.Number))!.Value.Dispute;
        Assert.Equal(["opened", "upheld", "correction-started"], guangdong.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task An_uphold_that_would_be_refused_writes_nothing()
    {
        var (_, notice) = await CompletedNoticeAsync("44");
        await fixture.CallAsync(HttpMethod.Post, $"/api/provinces/44/notices/{notice.Number}/disputes", "province:44", "gd.finance", new { reason = "recount" });

        await DeadlinesScheduledAsync();
        var before = await StorageSnapshot.TakeAsync(fixture.StorageConnectionString);

        var unchanged = await fixture.CallAsync(HttpMethod.Post, $"/api/disputes/44/{notice.Number}/resolution", "finance-officer", "official.chen", new { decision = "uphold", reason = "same", amountYuan = notice.AmountYuan });

        Assert.Equal(HttpStatusCode.BadRequest, unchanged.Status);
        Assert.Equal(before, await StorageSnapshot.TakeAsync(fixture.StorageConnectionString));
    }

    [Fact]
    public async Task A_queue_search_whose_restore_finds_a_message_gone_still_answers_what_it_found_and_restores_the_rest()
    {
        var connection = fixture.StorageConnectionString;
        var queue = new ConsumingQueue(connection, "scan-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(new { noticeNumber = $"N-{i:000}" }));
        }

        // The province receives and deletes one of the scanned messages while the scan holds it.
        var found = await NoticeOutbox.ScanQueueAsync(queue, CancellationToken.None);

        Assert.Equal(40, found.Count);
        Assert.Equal(39, (await queue.PeekAllAsync()).Count); // all but the consumed one visible again at once
    }

    [Theory]
    [InlineData(3)] // a peek sees the whole queue
    [InlineData(40)] // the queue is scanned
    public async Task A_queue_search_that_cannot_see_every_message_gives_no_answer_rather_than_not_there(int depth)
    {
        var connection = fixture.StorageConnectionString;
        var queue = new QueueClient(connection, "hidden-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateAsync();
        for (var i = 0; i < depth; i++)
        {
            await queue.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(new { noticeNumber = $"N-{i:000}" }));
        }

        // A recipient (or a scan whose receive was never answered) holds one message hidden.
        var held = (await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(5))).Value;

        var refused = await Assert.ThrowsAsync<TimeoutException>(() => NoticeOutbox.ScanQueueAsync(queue, CancellationToken.None));
        Assert.Contains("hidden", refused.Message, StringComparison.Ordinal);
        Assert.True(GrantFlow.Workflows.Http.ApiFailures.IsStorageOutage(refused)); // retried, never taken for "not sent"

        await queue.UpdateMessageAsync(held.MessageId, held.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        var found = await NoticeOutbox.ScanQueueAsync(queue, CancellationToken.None);
        Assert.Equal(depth, found.Count);
        Assert.Contains(System.Text.Json.JsonDocument.Parse(held.Body).RootElement.GetProperty("noticeNumber").GetString()!, found.Keys);
    }

    [Fact]
    public async Task A_county_acknowledgement_writes_no_chase_row_and_a_province_acknowledgement_closes_its_chase()
    {
        var (_, notice) = await CompletedNoticeAsync("44");
        var outbox = fixture.Engine.Services.GetRequiredService<NoticeOutbox>();
        var chase = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowChase");
        var openBefore = chase.Query<TableEntity>(e => e.PartitionKey == "open").Count();

        // A county's notice as the recipients' index files it (partition = the county's code).
        var index = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("GrantFlowNotices");
        var filed = (await index.GetEntityAsync<TableEntity>("44", notice.Number)).Value;
        var (partition, row) = NoticeOutbox.IndexKey("440103", notice.Number);
        await index.AddEntityAsync(new TableEntity(filed) { PartitionKey = partition, RowKey = row, ETag = default });

        var acknowledgements = fixture.Engine.Services.GetRequiredService<NoticeAcknowledgements>();
        var county = await acknowledgements.AcknowledgeAsync("440103", notice.Number, "county.finance", DateTimeOffset.UtcNow);
        var ack = await acknowledgements.AcknowledgeAsync("44", notice.Number, "gd.finance", DateTimeOffset.UtcNow);

        Assert.NotNull(county);
        Assert.NotNull(ack);
        Assert.Equal("county.finance", (await index.GetEntityAsync<TableEntity>(partition, row)).Value.GetString("AcknowledgedBy"));
        Assert.Equal(openBefore - 1, chase.Query<TableEntity>(e => e.PartitionKey == "open").Count()); // the province's row left; the county wrote none
        Assert.True((await chase.GetEntityIfExistsAsync<TableEntity>("open-closed", $"44|{notice.Number}")).HasValue); // its tombstone stays
        Assert.DoesNotContain(await fixture.Engine.Services.GetRequiredService<GrantFlow.Workflows.Notices.OpenNotices>().ListAsync(), n => n.NoticeNumber == notice.Number);
    }

    [Fact]
    public async Task Reads_are_strict_an_unknown_runs_ledger_is_404_and_a_signed_year_is_refused()
    {
        var unknown = await fixture.CallAsync(HttpMethod.Get, $"/api/runs/{Guid.NewGuid():N}/ledger", "auditor", "auditor.sun");
        var signed = await fixture.CallAsync(HttpMethod.Get, "/api/ledger/totals?fiscalYear=+2026", "auditor", "auditor.sun");
        var spaced = await fixture.CallAsync(HttpMethod.Get, "/api/ledger?fiscalYear=%202026", "auditor", "auditor.sun");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, signed.Status);
        Assert.Contains("fiscalYear", Fields(signed.Body));
        Assert.Equal(HttpStatusCode.BadRequest, spaced.Status);
    }

    /// <summary>A queue whose first restore (making a scanned message visible) finds the message received and deleted by its recipient.</summary>
    private sealed class ConsumingQueue(string connectionString, string name) : QueueClient(connectionString, name)
    {
        private readonly QueueClient _province = new(connectionString, name);
        private int _restores;

        public override async Task<Azure.Response<Azure.Storage.Queues.Models.UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, BinaryData? message = null, TimeSpan visibilityTimeout = default, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _restores) == 1)
            {
                await _province.DeleteMessageAsync(messageId, popReceipt, cancellationToken); // consumed meanwhile
            }

            return await base.UpdateMessageAsync(messageId, popReceipt, message, visibilityTimeout, cancellationToken);
        }

        public async Task<IReadOnlyList<string>> PeekAllAsync()
        {
            var ids = new List<string>();
            while ((await ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } batch)
            {
                ids.AddRange(batch.Select(m => m.MessageId));
            }

            return ids;
        }
    }
}
