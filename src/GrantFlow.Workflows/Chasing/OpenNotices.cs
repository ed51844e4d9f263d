using Azure;
using Azure.Data.Tables;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Chasing;

/// <summary>A province notice not yet acknowledged, and how far it has been chased.</summary>
public sealed record OpenNotice(string ProvinceCode, string NoticeNumber, DateTimeOffset SentAt, int Chases, int Level, DateTimeOffset? LastChasedAt);

/// <summary>
/// The province notices still awaiting acknowledgement (table GrantFlowChase, partition "open", row
/// "{province}|{notice number}"): the chaser reads this one partition, never the outbox; an acknowledgement removes
/// the notice from it. The same rows are the finance officers' chase list.
/// </summary>
public sealed class OpenNotices(GrantFlowTables storage)
{
    private const string Open = "open";

    private static string RowKey(string provinceCode, string noticeNumber) => $"{provinceCode}|{noticeNumber}";

    /// <summary>Opens a sent notice for chasing (insert-if-missing: a retry changes nothing).</summary>
    public async Task OpenAsync(string provinceCode, string noticeNumber, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            await storage.Chase.AddEntityAsync(
                new TableEntity(Open, RowKey(provinceCode, noticeNumber)) { ["ProvinceCode"] = provinceCode, ["NoticeNumber"] = noticeNumber, ["SentAt"] = sentAt, ["Chases"] = 0, ["Level"] = 0 },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // open already
        }
    }

    /// <summary>Closes a notice (acknowledged): it is chased no more.</summary>
    public async Task CloseAsync(string provinceCode, string noticeNumber, CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        await storage.Chase.DeleteEntityAsync(Open, RowKey(provinceCode, noticeNumber), ETag.All, cancellationToken);
    }

    public async Task<IReadOnlyList<OpenNotice>> ListAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var open = new List<OpenNotice>();
        await foreach (var row in storage.Chase.QueryAsync<TableEntity>(e => e.PartitionKey == Open, cancellationToken: cancellationToken))
        {
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
        if (!found.HasValue || (found.Value!.GetInt32("Chases") ?? 0) >= chase)
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
