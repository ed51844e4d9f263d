using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Notices;

/// <summary>
/// The recipients' index of sent notices (table GrantFlowNotices): filing each sent notice under its recipient,
/// and the one-partition listings, point reads and acknowledgements that read it.
/// </summary>
public sealed partial class NoticeOutbox
{
    /// <summary>
    /// Where a recipient's notice is filed in the index: a province's under its code (partition) and the notice number
    /// (row); a county's under "{province}-counties" and "{county}|{notice number}", so the notices of a pass-down
    /// (all counties of one province) are filed in transactions of 100 rather than one request each, and a county still
    /// lists its own with one range query in one partition and acknowledges with one point read. A prefecture's are
    /// filed the same way under "{province}-prefectures".
    /// </summary>
    public static (string Partition, string Row) IndexKey(string recipientCode, string noticeNumber)
    {
        ArgumentNullException.ThrowIfNull(recipientCode);
        return recipientCode.Length switch
        {
            6 => ($"{recipientCode[..2]}-counties", $"{recipientCode}|{noticeNumber}"),
            4 => ($"{recipientCode[..2]}-prefectures", $"{recipientCode}|{noticeNumber}"),
            _ => (recipientCode, noticeNumber),
        };
    }


    /// <summary>
    /// Files sent notices under their recipients (partition = code, row = notice number), where a recipient lists and
    /// acknowledges them with one partition query or one point read, however many years of notices the outbox holds.
    /// Insert-if-missing: a retry adds nothing. Read back, a row is the notice as sent (the outbox's payload).
    /// </summary>
    private async Task IndexAsync(IReadOnlyList<TableEntity> outboxRows, CancellationToken cancellationToken)
    {
        var filed = outboxRows
            .Select(row =>
            {
                var (partition, key) = IndexKey(row.RowKey, row.GetString("NoticeNumber"));
                return new TableEntity(partition, key) { ["RunId"] = row.PartitionKey, ["Payload"] = row.GetString("Payload") };
            })
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .ToList();
        await Parallel.ForEachAsync(filed, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (partition, token) =>
            await TableBatches.InsertMissingAsync(_storage.Notices, partition.Key, [.. partition], token));
    }


    /// <summary>
    /// A recipient's acknowledgement of one of its notices, recorded in the index (<see cref="NoticeAcknowledgements"/>
    /// also closes its chase). Idempotent: acknowledging again keeps the first
    /// acknowledgement, and of two acknowledgements at the same moment the first stands for both. Null when the
    /// province has no such notice. One point read in the recipient's index, whatever the outbox holds.
    /// </summary>
    public async Task<NoticeAcknowledgement?> AcknowledgeAsync(string provinceCode, string noticeNumber, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(provinceCode, noticeNumber);
        var found = await _storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        return await RecordAcknowledgementAsync(found.Value!, provinceCode, noticeNumber, by, at, cancellationToken);
    }

    private async Task<NoticeAcknowledgement> RecordAcknowledgementAsync(TableEntity row, string recipientCode, string noticeNumber, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (row.GetDateTimeOffset("AcknowledgedAt") is { } acknowledgedAt)
        {
            return new NoticeAcknowledgement(noticeNumber, recipientCode, row.GetString("AcknowledgedBy"), acknowledgedAt);
        }

        row["AcknowledgedBy"] = by;
        row["AcknowledgedAt"] = at;
        try
        {
            await _storage.Notices.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            Telemetry.GrantFlowTelemetry.NoticesAcknowledged.Add(1, new KeyValuePair<string, object?>("recipient", recipientCode.Length switch { 6 => "county", 4 => "prefecture", _ => "province" }));
            return new NoticeAcknowledgement(noticeNumber, recipientCode, by, at);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Acknowledged at the same moment by another request: the first acknowledgement stands, as for a retry.
            var stored = (await _storage.Notices.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
            return stored.GetDateTimeOffset("AcknowledgedAt") is { } first
                ? new NoticeAcknowledgement(noticeNumber, recipientCode, stored.GetString("AcknowledgedBy"), first)
                : throw new InvalidOperationException($"notice {noticeNumber} changed while being acknowledged, without an acknowledgement.", ex);
        }
    }

    /// <summary>A recipient's notice as sent and when it was acknowledged (one point read), or null.</summary>
    public async Task<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)?> FindWithAcknowledgementAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(recipientCode, noticeNumber);
        var found = await _storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        return found.HasValue
            ? (JsonSerializer.Deserialize<DisbursementNotice>(found.Value!.GetString("Payload"), WorkflowJson.Options)!, found.Value!.GetDateTimeOffset("AcknowledgedAt"))
            : null;
    }

    /// <summary>A recipient's notice as sent (one point read), or null.</summary>
    public async Task<DisbursementNotice?> FindAsync(string recipientCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var (partition, key) = IndexKey(recipientCode, noticeNumber);
        var found = await _storage.Notices.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken);
        return found.HasValue ? JsonSerializer.Deserialize<DisbursementNotice>(found.Value!.GetString("Payload"), WorkflowJson.Options) : null;
    }

    /// <summary>
    /// The notices sent to provinces for one fiscal year, with when (if ever) each was acknowledged: one key range per
    /// province partition (a notice number starts "GF-{year}-"), so the cost is the year's notices, not the history.
    /// </summary>
    public async Task<IReadOnlyList<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt)>> ListSentAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var from = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"GF-{fiscalYear}-");
        var to = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"GF-{fiscalYear}.");
        var perProvince = await Task.WhenAll(Domain.Programs.ProvinceCodes.All.Select(async province =>
        {
            var found = new List<(DisbursementNotice, DateTimeOffset?)>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {province} and RowKey ge {from} and RowKey lt {to}");
            await foreach (var row in _storage.Notices.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found.Add((JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!, row.GetDateTimeOffset("AcknowledgedAt")));
            }

            return found;
        }));
        return [.. perProvince.SelectMany(p => p)];
    }

    /// <summary>The notices sent to a recipient (one partition of the index), oldest first.</summary>
    public async Task<IReadOnlyList<DisbursementNotice>> ListForProvinceAsync(string provinceCode, CancellationToken cancellationToken = default) =>
        [.. (await ReadReceivedAsync(provinceCode, cancellationToken)).Select(r => r.Notice)];

    /// <summary>The notices sent to a recipient with who acknowledged each and when (null: not yet), oldest first.</summary>
    public async Task<IReadOnlyList<InboxNotice>> ListReceivedAsync(string provinceCode, CancellationToken cancellationToken = default) =>
        [.. (await ReadReceivedAsync(provinceCode, cancellationToken)).Select(r => new InboxNotice(r.Notice, r.AcknowledgedAt, r.AcknowledgedBy))];

    private async Task<IReadOnlyList<(DisbursementNotice Notice, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy)>> ReadReceivedAsync(string provinceCode, CancellationToken cancellationToken)
    {
        await _storage.EnsureCreatedAsync(cancellationToken);
        var notices = new List<(DisbursementNotice, DateTimeOffset?, string?)>();
        var (partition, _) = IndexKey(provinceCode, string.Empty);
        var filter = provinceCode.Length is 4 or 6
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {provinceCode + "|"} and RowKey lt {provinceCode + "}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in _storage.Notices.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            notices.Add((
                JsonSerializer.Deserialize<DisbursementNotice>(row.GetString("Payload"), WorkflowJson.Options)!,
                row.GetDateTimeOffset("AcknowledgedAt"),
                row.GetString("AcknowledgedBy")));
        }

        return notices.OrderBy(n => n.Item1.IssuedAt).ThenBy(n => n.Item1.NoticeNumber, StringComparer.Ordinal).ToList();
    }
}
