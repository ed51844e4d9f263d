using Azure.Data.Tables;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>The soak's check of the chaser's reminders and the pass-down deadlines.</summary>
internal sealed partial class SoakChecks
{
    /// <summary>
    /// The chaser and the deadlines: reminders of a notice numbered from 1 without a gap; every notice still awaiting its
    /// pass-down well past its reminder time reminded once ("#D" on its queue once), and flagged overdue past its deadline.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckDeadlinesAsync(DateTimeOffset now, TimeSpan remindAfter, TimeSpan deadline, TimeSpan slack)
    {
        var problems = new List<string>();
        var queued = await QueuedAsync();
        foreach (var (queue, numbers) in queued)
        {
            foreach (var chased in numbers.Where(n => n.Contains("#R", StringComparison.Ordinal)).GroupBy(n => n[..n.IndexOf("#R", StringComparison.Ordinal)], StringComparer.Ordinal))
            {
                var ks = chased.Select(n => int.Parse(n[(n.IndexOf("#R", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
                if (!ks.SequenceEqual(Enumerable.Range(1, ks.Count)))
                {
                    problems.Add($"queue {queue}: reminders of {chased.Key} numbered {string.Join(",", ks)} (expected 1..{ks.Count} once each)");
                }
            }
        }

        var checkedRows = 0;
        await foreach (var row in _tables.GetTableClient(storage.ChaseTable).QueryAsync<TableEntity>(e => e.PartitionKey == "pass-down"))
        {
            if (row.GetBoolean("Closed") == true || row.GetString("NoticeNumber") is not { } notice || row.GetDateTimeOffset("SentAt") is not { } sentAt)
            {
                continue;
            }

            checkedRows++;
            var reminders = queued.GetValueOrDefault(storage.NoticeQueue(row.GetString("ProvinceCode")))?.Count(n => n == notice + "#D") ?? 0;
            if (now - sentAt > remindAfter + slack && (reminders != 1 || row.GetBoolean("Reminded") != true))
            {
                problems.Add($"notice {notice}: awaiting its pass-down since {sentAt:HH:mm:ss}, {reminders} pass-down reminder(s) on its queue, reminded = {row.GetBoolean("Reminded")} (expected one)");
            }

            if (now - sentAt > deadline + slack && row.GetDateTimeOffset("OverdueSince") is null)
            {
                problems.Add($"notice {notice}: awaiting its pass-down since {sentAt:HH:mm:ss}, past its deadline and not flagged overdue");
            }
        }

        if (checkedRows == 0)
        {
            problems.Add("no notice awaits its pass-down: the deadlines were not checked");
        }

        return problems;
    }
}
