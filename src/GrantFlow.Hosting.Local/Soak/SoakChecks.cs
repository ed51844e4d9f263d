using Azure.Data.Tables;
using Azure.Storage.Queues;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Storage;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local.Soak;

/// <summary>
/// The invariants a soak checks, read from the storage itself (never through the host it killed): every message the
/// outbox recorded (notices, reminders, pass-down reminders) is on its queue exactly once and no number is there
/// twice; every run's ledger chains; each year nets to its settlement; one correction per upheld dispute; each
/// deadline reminded once and flagged when passed.
/// </summary>
internal sealed partial class SoakChecks(string connectionString, GrantFlowStorageOptions storage)
{
    private readonly TableServiceClient _tables = new(connectionString);
    private Dictionary<string, List<string>>? _queued;

    /// <summary>
    /// Every message on every notice queue, by queue, as the numbers they carry (a reminder's "reminderNumber", else its
    /// "noticeNumber"). Read once, after the host was killed: the soak is the last consumer, so it receives them all
    /// (each hidden for 10 minutes, enough to count) instead of peeking the first 32. Messages the killed host's last
    /// queue search held hidden show again within a minute: a queue is read until it has given as many messages as it
    /// counts (at most <see cref="HiddenPatience"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, List<string>>> QueuedAsync()
    {
        if (_queued is not null)
        {
            return _queued;
        }

        var queued = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var service = new QueueServiceClient(connectionString);
        await foreach (var item in service.GetQueuesAsync(prefix: storage.NoticeQueuePrefix + "-"))
        {
            var queue = service.GetQueueClient(item.Name);
            var numbers = queued[item.Name] = [];
            var giveUpAt = DateTimeOffset.UtcNow + HiddenPatience;
            while (true)
            {
                while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value is { Length: > 0 } batch)
                {
                    numbers.AddRange(batch.Select(m => NumberOf(m.Body.ToString())));
                }

                var counted = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                if (counted <= numbers.Count || DateTimeOffset.UtcNow >= giveUpAt)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(5)); // some are hidden still: they show again when their hiding ends
            }
        }

        return _queued = queued;
    }

    /// <summary>How long the checks wait for messages a killed host left hidden (its searches hide them for a minute).</summary>
    public static readonly TimeSpan HiddenPatience = TimeSpan.FromSeconds(90);

    /// <summary>Outbox rows not yet sent (a notice, a reminder or a deadline reminder recorded and on its way), by key.</summary>
    private async Task<List<(string Partition, string Row)>> UnsentAsync()
    {
        var unsent = new List<(string, string)>();
        await foreach (var row in _tables.GetTableClient(storage.OutboxTable).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Sent"]))
        {
            if (row.GetBoolean("Sent") != true)
            {
                unsent.Add((row.PartitionKey, row.RowKey));
            }
        }

        return unsent;
    }

    /// <summary>
    /// While the host still runs at the end of the soak: every message recorded but not yet sent at this moment is sent
    /// within <paramref name="patience"/> (or overtaken: a reminder whose notice was acknowledged). Returns the moment
    /// (rows recorded or touched after it are still on their way when the host is killed: the checks count them in flight)
    /// and what was not sent in time.
    /// </summary>
    public async Task<(DateTimeOffset Since, IReadOnlyList<string> Problems)> UnsentGetSentAsync(TimeSpan patience)
    {
        var since = DateTimeOffset.UtcNow;
        var waiting = await UnsentAsync();
        var giveUpAt = since + patience;
        var outbox = _tables.GetTableClient(storage.OutboxTable);
        while (waiting.Count > 0 && DateTimeOffset.UtcNow < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            waiting = [.. waiting.Where(key =>
            {
                var row = outbox.GetEntity<TableEntity>(key.Partition, key.Row).Value;
                return row.GetBoolean("Sent") != true && !Overtaken(row);
            })];
        }

        _inFlightSince = since;
        return (since, [.. waiting.Select(key => $"outbox {key.Partition}/{key.Row}: recorded, still not sent {patience.TotalSeconds:0} s later (the host running, nothing killing it)")]);
    }

    private DateTimeOffset? _inFlightSince;

    /// <summary>Rows on their way when the host was killed at the end (recorded or taken up after every earlier one was sent).</summary>
    public int InFlight { get; private set; }

    private static string NumberOf(string body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("reminderNumber", out var reminder) ? reminder.GetString()!
            : json.RootElement.TryGetProperty("noticeNumber", out var notice) ? notice.GetString()! : body;
    }

    /// <summary>Each outbox row sent, its message on its queue once; no number on a queue twice.</summary>
    public async Task<IReadOnlyList<string>> EveryMessageOnceAsync()
    {
        var problems = new List<string>();
        var queued = await QueuedAsync();
        foreach (var (queue, numbers) in queued)
        {
            problems.AddRange(numbers.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"queue {queue}: {g.Key} is there {g.Count()} times"));
        }

        var rows = 0;
        var overtaken = 0;
        await foreach (var row in _tables.GetTableClient(storage.OutboxTable).QueryAsync<TableEntity>())
        {
            rows++;
            var number = row.GetString("NoticeNumber");
            var count = queued.TryGetValue(row.GetString("Queue"), out var numbers) ? numbers.Count(n => n == number) : 0;
            if (row.GetBoolean("Sent") != true && count <= 1 && Overtaken(row))
            {
                overtaken++;
                continue;
            }

            if (row.GetBoolean("Sent") != true && count <= 1 && _inFlightSince is { } since && row.Timestamp > since)
            {
                InFlight++; // recorded (or its send begun) after every message before it was seen sent: killed on its way
                continue;
            }

            if (row.GetBoolean("Sent") != true || count != 1)
            {
                problems.Add($"outbox {row.PartitionKey}/{row.RowKey}: {number} {(row.GetBoolean("Sent") == true ? "sent" : "not sent")}, {count} time(s) on {row.GetString("Queue")} (expected sent, once)");
            }
        }

        if (rows == 0)
        {
            problems.Add("the outbox is empty: nothing was checked");
        }

        RemindersOvertaken = overtaken;

        return problems;
    }

    /// <summary>Reminders recorded but not marked sent (the sweep interrupted) whose notice was acknowledged or passed down since.</summary>
    public int RemindersOvertaken { get; private set; }

    /// <summary>
    /// A reminder the chaser recorded but had not finished sending when it was interrupted, whose notice was
    /// acknowledged since (a chase) or passed down (a pass-down reminder): nothing is owed any more and no sweep takes
    /// it up again. Its message went out once (the send landed before the interruption) or not at all; never twice.
    /// </summary>
    private bool Overtaken(TableEntity row)
    {
        var number = row.GetString("NoticeNumber");
        var province = row.RowKey;
        if (row.PartitionKey.StartsWith("chase-", StringComparison.Ordinal))
        {
            var (partition, key) = NoticeOutbox.IndexKey(province, number[..number.IndexOf("#R", StringComparison.Ordinal)]);
            var notice = _tables.GetTableClient(storage.NoticesTable).GetEntityIfExists<TableEntity>(partition, key);
            return notice.HasValue && notice.Value!.GetDateTimeOffset("AcknowledgedAt") is not null;
        }

        if (row.PartitionKey.StartsWith("deadline-", StringComparison.Ordinal))
        {
            var pending = _tables.GetTableClient(storage.ChaseTable).GetEntityIfExists<TableEntity>("pass-down", $"{province}|{number[..number.IndexOf("#D", StringComparison.Ordinal)]}");
            return pending.HasValue && pending.Value!.GetBoolean("Closed") == true;
        }

        return false;
    }

    /// <summary>A run's ledger rows in order.</summary>
    public List<TableEntity> Ledger(string runId) =>
        [.. _tables.GetTableClient(storage.LedgerTable).Query<TableEntity>(e => e.PartitionKey == runId).OrderBy(e => e.RowKey, StringComparer.Ordinal)];

    /// <summary>Each row names the hash of the one before it (the first the genesis hash).</summary>
    public static void CheckChain(string label, IReadOnlyList<TableEntity> rows, List<string> problems)
    {
        var previous = LedgerChain.Genesis;
        foreach (var row in rows)
        {
            if (row.GetString("PreviousHash") != previous)
            {
                problems.Add($"{label}: chain broken at {row.RowKey}");
            }

            previous = row.GetString("Hash");
        }
    }

    /// <summary>
    /// A program year: each province's net over the advance, remainder, both corrections and the settlement is the
    /// settlement's allocation to it, and the settlement's top-ups and recoveries net to the difference between the
    /// actual envelope and what was released before; one correction per upheld dispute (the one its id derives from).
    /// </summary>
    public IReadOnlyList<string> CheckYear(SoakYear year)
    {
        var problems = new List<string>();
        var label = $"{year.Program} {year.FiscalYear}";
        var runs = new[] { year.AdvanceRunId, year.RemainderRunId, year.CorrectionRunId, year.DisputeCorrectionRunId, year.SettlementRunId };
        var rows = runs.ToDictionary(r => r, Ledger, StringComparer.Ordinal);
        foreach (var (runId, entries) in rows)
        {
            CheckChain($"{label} run {runId}", entries, problems);
        }

        static long Net(IEnumerable<TableEntity> entries) => entries.Sum(e => LedgerEntryKinds.NetEffect(e.GetString("Kind"), e.GetInt64("AmountYuan") ?? 0));
        var before = Net(runs.Take(4).SelectMany(r => rows[r]));
        var settlement = Net(rows[year.SettlementRunId]);
        if (before + settlement != year.SettlementEnvelopeYuan)
        {
            problems.Add($"{label}: released {before} before the settlement, the settlement nets {settlement}, the actual envelope is {year.SettlementEnvelopeYuan}");
        }

        foreach (var (province, amount) in year.SettledYuan)
        {
            var net = Net(rows.Values.SelectMany(e => e).Where(e => e.GetString("ProvinceCode") == province));
            if (net != amount)
            {
                problems.Add($"{label}: province {province} nets {net} after its settlement, its settled allocation is {amount}");
            }
        }

        foreach (var (runId, province) in new[] { (year.CorrectionRunId, year.CorrectionProvince), (year.DisputeCorrectionRunId, year.DisputeProvince) })
        {
            var entries = rows[runId];
            if (entries.Count != 2 || entries.Any(e => e.GetString("ProvinceCode") != province))
            {
                problems.Add($"{label}: correction {runId} of {province} has {entries.Count} entries ({string.Join(", ", entries.Select(e => $"{e.GetString("ProvinceCode")} {e.GetString("Kind")}"))}); expected its reversal and its new entry");
            }
        }

        if (year.DisputeCorrectionRunId != Workflows.Disputes.DisputeService.CorrectionRunIdOf(year.DisputeProvince, year.DisputeNotice))
        {
            problems.Add($"{label}: the upheld dispute of {year.DisputeProvince} is linked to {year.DisputeCorrectionRunId}, not the correction its id derives from");
        }

        var corrections = _tables.GetTableClient(storage.RunsTable).Query<TableEntity>().Where(r => r.GetString("Kind") == RunKinds.Correction && r.GetString("Program") == year.Program && r.GetInt32("FiscalYear") == year.FiscalYear).ToList();
        if (corrections.Count != 2)
        {
            problems.Add($"{label}: {corrections.Count} correction runs (expected 2: the officer's and the upheld dispute's)");
        }

        return problems;
    }
}
