using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Notices;

namespace GrantFlow.Workflows.Storage;

/// <summary>
/// Transactional outbox for disbursement notices (partition = run id, row = province code). Notices are recorded
/// first, then sent to each province's queue and marked sent. A send interrupted by a crash is checked against the
/// queue (by notice number) before it is sent again, so each province gets each notice once; the notice number is
/// also the dedupe key consumers can rely on.
/// </summary>
public sealed record NoticeAcknowledgement(string NoticeNumber, string ProvinceCode, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

public sealed class NoticeOutbox(GrantFlowTables storage)
{
    public async Task RecordAsync(string runId, IReadOnlyList<DisbursementNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        await storage.EnsureCreatedAsync(cancellationToken);
        var entities = notices.Select(n => new TableEntity(runId, n.ProvinceCode)
        {
            ["NoticeNumber"] = n.NoticeNumber,
            ["Queue"] = storage.Options.NoticeQueue(n.ProvinceCode),
            ["Payload"] = JsonSerializer.Serialize(n, WorkflowJson.Options),
            ["Sent"] = false,
        }).ToList();
        await TableBatches.InsertMissingAsync(storage.Outbox, runId, entities, cancellationToken);
    }

    /// <summary>Sends every notice of the run not yet marked sent; returns the number of notices marked sent in all.</summary>
    public async Task<int> DispatchAsync(string runId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var sent = 0;
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Sent") != true)
            {
                await SendOnceAsync(row, cancellationToken);
            }

            sent++;
        }

        return sent;
    }

    private async Task SendOnceAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var queue = storage.NoticeQueue(row.RowKey);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var number = row.GetString("NoticeNumber");
        var attempted = row.GetBoolean("SendAttempted") == true;
        if (!attempted)
        {
            row["SendAttempted"] = true;
            await storage.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            row = (await storage.Outbox.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
        }

        if (!attempted || !await QueueHoldsAsync(queue, number, cancellationToken))
        {
            await queue.SendMessageAsync(BinaryData.FromString(row.GetString("Payload")), cancellationToken: cancellationToken);
        }

        row["Sent"] = true;
        row["SentAt"] = DateTimeOffset.UtcNow;
        await storage.Outbox.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Whether the queue already holds the notice (a province queue holds few messages; peeks up to 32).</summary>
    private static async Task<bool> QueueHoldsAsync(Azure.Storage.Queues.QueueClient queue, string noticeNumber, CancellationToken cancellationToken)
    {
        var peeked = await queue.PeekMessagesAsync(32, cancellationToken);
        return peeked.Value.Any(m => m.Body.ToString().Contains($"\"noticeNumber\":\"{noticeNumber}\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// A province acknowledges receipt of one of its notices. Idempotent: acknowledging again keeps the first
    /// acknowledgement. Null when the province has no such notice.
    /// </summary>
    public async Task<NoticeAcknowledgement?> AcknowledgeAsync(string provinceCode, string noticeNumber, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.RowKey == provinceCode && e.GetBoolean("Sent") == true, cancellationToken: cancellationToken))
        {
            if (row.GetString("NoticeNumber") != noticeNumber)
            {
                continue;
            }

            if (row.GetDateTimeOffset("AcknowledgedAt") is { } acknowledgedAt)
            {
                return new NoticeAcknowledgement(noticeNumber, provinceCode, row.GetString("AcknowledgedBy"), acknowledgedAt);
            }

            row["AcknowledgedBy"] = by;
            row["AcknowledgedAt"] = at;
            await storage.Outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            return new NoticeAcknowledgement(noticeNumber, provinceCode, by, at);
        }

        return null;
    }

    /// <summary>Every sent notice with when (if ever) it was acknowledged.</summary>
    public async Task<IReadOnlyList<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)>> ListSentAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var list = new List<(DisbursementNotice, DateTimeOffset?)>();
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.GetBoolean("Sent") == true, cancellationToken: cancellationToken))
        {
            list.Add((JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!, row.GetDateTimeOffset("AcknowledgedAt")));
        }

        return list;
    }

    public async Task<IReadOnlyList<DisbursementNotice>> ListForProvinceAsync(string provinceCode, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var notices = new List<DisbursementNotice>();
        await foreach (var row in storage.Outbox.QueryAsync<TableEntity>(e => e.RowKey == provinceCode, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Sent") == true)
            {
                notices.Add(JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!);
            }
        }

        return notices;
    }
}
