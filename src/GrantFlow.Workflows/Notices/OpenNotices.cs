using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Notices;

/// <summary>
/// The province notices still awaiting acknowledgement (table GrantFlowChase, partition "open", row
/// "{province}|{notice number}") and those still to be passed down (partition "pass-down"): the chaser reads these
/// partitions, never the outbox. An acknowledgement, or a completed pass-down, writes a tombstone under the same key in
/// the partition's closed twin ("open-closed", "pass-down-closed") and then deletes the row, so the two partitions
/// hold what is still open - what the chase list, the deadline sweep and the report read - not every notice ever sent;
/// a late repeated delivery of a notice finds its tombstone and does not open it again.
/// </summary>
public sealed class OpenNotices(GrantFlowTables storage)
{
    private const string Open = "open";
    private const string Pending = "pass-down";

    private static string RowKey(string provinceCode, string noticeNumber) => $"{provinceCode}|{noticeNumber}";

    private static string Closed(string partition) => partition + "-closed";

    /// <summary>
    /// After opening rows: any whose notice was closed meanwhile or before (a late repeated delivery) is deleted again
    /// (one point read of the tombstone per row; the close deletes the row after writing the tombstone, so of the two
    /// orders either ends closed).
    /// </summary>
    private async Task DropClosedAsync(string partition, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, token) =>
        {
            if ((await storage.Chase.GetEntityIfExistsAsync<TableEntity>(Closed(partition), key, ["RowKey"], token)).HasValue)
            {
                await DeleteIfThereAsync(partition, key, token);
            }
        });

    private async Task DeleteIfThereAsync(string partition, string key, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Chase.DeleteEntityAsync(partition, key, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // gone already
        }
    }

    /// <summary>
    /// Follows sent notices to those who pass money on - provinces and prefectures: each awaits acknowledgement (the
    /// chaser chases it) and, for a province's advance or remainder or a prefecture's share of a pass-down, the Budget
    /// Law's 30 days to pass it down, which start when it was sent. Insert-if-missing, so the same notices followed
    /// again (a retried step, a repeated dispatch) change nothing, and a closed one stays closed. County notices are
    /// not followed (counties pass nothing on).
    /// </summary>
    public async Task FollowSentAsync(IReadOnlyList<SentMessage> sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var provinces = sent.Where(m => IsFollowed(m.RecipientCode)).ToList();
        if (provinces.Count == 0)
        {
            return;
        }

        var followed = new List<PendingPassDown>();
        foreach (var message in provinces)
        {
            var notice = JsonSerializer.Deserialize<DisbursementNotice>(message.Payload, WorkflowJson.Options)!;
            if (notice.Kind is Domain.Ledger.LedgerEntryKinds.Advance or Domain.Ledger.LedgerEntryKinds.Remainder
                || (notice.Kind == Domain.Ledger.LedgerEntryKinds.PassDown && Domain.Programs.ProvinceCodes.IsPrefecture(message.RecipientCode)))
            {
                followed.Add(new PendingPassDown(message.RecipientCode, notice.NoticeNumber, notice.Program, notice.FiscalYear, message.SentAt, Reminded: false, OverdueSince: null));
            }
        }

        await OpenManyAsync([.. provinces.Select(m => (m.RecipientCode, m.Number, m.SentAt))], cancellationToken);
        await AwaitPassDownsAsync(followed, cancellationToken);
    }

    /// <summary>Whether a recipient's notices are chased and awaited: a province's or a prefecture's, not a county's.</summary>
    public static bool IsFollowed(string recipientCode) =>
        Domain.Programs.ProvinceCodes.IsKnown(recipientCode) || Domain.Programs.ProvinceCodes.IsPrefecture(recipientCode);

    /// <summary>Opens sent notices for chasing, batched in the partition (insert-if-missing: a tombstone or a retry stays).</summary>
    public async Task OpenManyAsync(IReadOnlyList<(string ProvinceCode, string NoticeNumber, DateTimeOffset SentAt)> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        await storage.EnsureCreatedAsync(cancellationToken);
        await TableBatches.InsertMissingAsync(
            storage.Chase,
            Open,
            [.. notices.Select(n => new TableEntity(Open, RowKey(n.ProvinceCode, n.NoticeNumber)) { ["ProvinceCode"] = n.ProvinceCode, ["NoticeNumber"] = n.NoticeNumber, ["SentAt"] = n.SentAt, ["Chases"] = 0, ["Level"] = 0 })],
            cancellationToken);
        await DropClosedAsync(Open, [.. notices.Select(n => RowKey(n.ProvinceCode, n.NoticeNumber))], cancellationToken);
    }

    /// <summary>Follows sent advance and remainder notices until their pass-downs complete, batched (insert-if-missing).</summary>
    public async Task AwaitPassDownsAsync(IReadOnlyList<PendingPassDown> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        await storage.EnsureCreatedAsync(cancellationToken);
        await TableBatches.InsertMissingAsync(
            storage.Chase,
            Pending,
            [.. notices.Select(n => new TableEntity(Pending, RowKey(n.ProvinceCode, n.NoticeNumber)) { ["ProvinceCode"] = n.ProvinceCode, ["NoticeNumber"] = n.NoticeNumber, ["Program"] = n.Program, ["FiscalYear"] = n.FiscalYear, ["SentAt"] = n.SentAt, ["Reminded"] = false })],
            cancellationToken);
        await DropClosedAsync(Pending, [.. notices.Select(n => RowKey(n.ProvinceCode, n.NoticeNumber))], cancellationToken);
    }

    /// <summary>A pass-down of the notice completed: it is no longer pending (nor overdue).</summary>
    public Task PassedDownAsync(string provinceCode, string noticeNumber, CancellationToken cancellationToken = default) =>
        CloseRowAsync(Pending, provinceCode, noticeNumber, cancellationToken);

    /// <summary>
    /// Closes a row: its tombstone first (a late or repeated delivery of the notice - at-least-once - finds it and
    /// cannot open the notice again), then the row goes, so the open partition keeps only what is open.
    /// </summary>
    private async Task CloseRowAsync(string partition, string provinceCode, string noticeNumber, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var key = RowKey(provinceCode, noticeNumber);
        await storage.Chase.UpsertEntityAsync(new TableEntity(Closed(partition), key) { ["Closed"] = true }, TableUpdateMode.Replace, cancellationToken);
        await DeleteIfThereAsync(partition, key, cancellationToken);
    }

    public async Task<IReadOnlyList<PendingPassDown>> PendingPassDownsAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var pending = new List<PendingPassDown>();
        await foreach (var row in storage.Chase.QueryAsync<TableEntity>(e => e.PartitionKey == Pending, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Closed") == true || row.GetString("NoticeNumber") is null)
            {
                continue;
            }

            pending.Add(ToPending(row));
        }

        return pending;
    }

    /// <summary>One notice's pending row; null once it was passed down (or if it was never followed).</summary>
    public async Task<PendingPassDown?> FindPendingPassDownAsync(string provinceCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var found = await storage.Chase.GetEntityIfExistsAsync<TableEntity>(Pending, RowKey(provinceCode, noticeNumber), cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetBoolean("Closed") != true && found.Value!.GetString("NoticeNumber") is not null ? ToPending(found.Value!) : null;
    }

    /// <summary>Records that the notice's deadline orchestration was scheduled (a merge: nothing else changes).</summary>
    public async Task MarkDeadlineScheduledAsync(PendingPassDown pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        try
        {
            await storage.Chase.UpdateEntityAsync(new TableEntity(Pending, RowKey(pending.ProvinceCode, pending.NoticeNumber)) { ["DeadlineScheduled"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // passed down meanwhile: nothing left to mark
        }
    }

    private static PendingPassDown ToPending(TableEntity row) => new(
        row.GetString("ProvinceCode"), row.GetString("NoticeNumber"), row.GetString("Program"), row.GetInt32("FiscalYear") ?? 0,
        row.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue, row.GetBoolean("Reminded") == true, row.GetDateTimeOffset("OverdueSince"),
        row.GetBoolean("DeadlineScheduled") == true);

    /// <summary>Records a pass-down reminder or the overdue flag (conditionally; a concurrent change wins).</summary>
    public async Task MarkPassDownAsync(PendingPassDown pending, bool reminded, DateTimeOffset? overdueSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var found = await storage.Chase.GetEntityIfExistsAsync<TableEntity>(Pending, RowKey(pending.ProvinceCode, pending.NoticeNumber), cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetBoolean("Closed") == true)
        {
            return; // passed down meanwhile
        }

        var row = found.Value!;
        row["Reminded"] = reminded || row.GetBoolean("Reminded") == true;
        row["OverdueSince"] = row.GetDateTimeOffset("OverdueSince") ?? overdueSince;
        try
        {
            await storage.Chase.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            // changed meanwhile (passed down, or marked by a repeated step): the deadline step retries or finds it closed
            throw new InvalidOperationException($"the pass-down row of {pending.NoticeNumber} changed while it was being marked; try again");
        }
    }

    /// <summary>Closes a notice (acknowledged): it is chased no more.</summary>
    public Task CloseAsync(string provinceCode, string noticeNumber, CancellationToken cancellationToken = default) =>
        CloseRowAsync(Open, provinceCode, noticeNumber, cancellationToken);

    public async Task<IReadOnlyList<OpenNotice>> ListAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var open = new List<OpenNotice>();
        await foreach (var row in storage.Chase.QueryAsync<TableEntity>(e => e.PartitionKey == Open, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Closed") == true || row.GetString("NoticeNumber") is null)
            {
                continue;
            }

            open.Add(new OpenNotice(
                row.GetString("ProvinceCode"),
                row.GetString("NoticeNumber"),
                row.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue,
                row.GetInt32("Chases") ?? 0,
                row.GetInt32("Level") ?? 0,
                row.GetDateTimeOffset("LastChasedAt")));
        }

        return open;
    }

    /// <summary>Records the k-th chase (forward only: an older or equal count changes nothing).</summary>
    public async Task RecordChaseAsync(OpenNotice notice, int chase, int level, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var found = await storage.Chase.GetEntityIfExistsAsync<TableEntity>(Open, RowKey(notice.ProvinceCode, notice.NoticeNumber), cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetBoolean("Closed") == true || (found.Value!.GetInt32("Chases") ?? 0) >= chase)
        {
            return; // acknowledged meanwhile, or recorded already
        }

        var row = found.Value!;
        row["Chases"] = chase;
        row["Level"] = level;
        row["LastChasedAt"] = at;
        try
        {
            await storage.Chase.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            // changed (recorded by a concurrent sweep, or acknowledged) meanwhile
        }
    }
}
