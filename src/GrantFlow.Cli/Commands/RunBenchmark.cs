using GrantFlow.Contracts;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrantFlow.Domain.Approvals;
using GrantFlow.Domain.Validation;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow bench run</c>: a full durable run over N generated county-level recipients (instant approvals), then
/// the same storage work done directly through the SDK in the same process on the same Azurite (the run's very ledger
/// and index rows into scratch tables, its very notices to scratch queues, with the same batching and concurrency),
/// each stage printed with its rate and its ratio to the raw work. Repeated (--repeat) with a new fiscal year each time.
/// </summary>
public static class RunBenchmark
{
    public static Command Create()
    {
        var recipientsOption = new Option<int>("--recipients") { Description = "Generated recipients (county-level codes).", DefaultValueFactory = _ => 3_000 };
        var repeatOption = new Option<int>("--repeat") { Description = "Runs measured (min and median reported).", DefaultValueFactory = _ => 3 };
        var command = new Command("run", "Time durable runs of N recipients, stage by stage, against the same storage work done directly through the SDK.") { recipientsOption, repeatOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var data = Path.Combine(Path.GetTempPath(), "grantflow-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                return await MeasureAsync(output, parse.GetValue(recipientsOption), Math.Max(1, parse.GetValue(repeatOption)), data, cancellationToken);
            }
            finally
            {
                if (Directory.Exists(data))
                {
                    Directory.Delete(data, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>One measured run: its wall time and stages, and the raw SDK work for the same rows and messages.</summary>
    private sealed record Sample(double Total, double Ledger, double RawLedger, double Notices, double RawNotices, int Rows, int Messages);

    private static async Task<int> MeasureAsync(TextWriter output, int count, int repeat, string data, CancellationToken cancellationToken)
    {
        await using var environment = await EmbeddedEnvironment.StartAsync(data, output, cancellationToken, crashRecovery: TimeSpan.FromMinutes(5));
        var services = environment.Engine.Services;
        var storage = services.GetRequiredService<GrantFlowTables>();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"recipients: {count:N0}; runs: {repeat}; storage: {environment.StorageDescription}; {Environment.ProcessorCount} cores"));
        var samples = new List<Sample>();
        for (var r = 0; r < repeat; r++)
        {
            var sample = await MeasureOnceAsync(output, services, storage, count, 2027 + r, cancellationToken);
            if (sample is null)
            {
                return GrantFlowCli.Failure;
            }

            samples.Add(sample);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"run {r + 1}: {sample.Total:N2} s end to end; ledger {sample.Ledger:N2} s vs raw {sample.RawLedger:N2} s ({sample.Ledger / sample.RawLedger:N2}x, {sample.Rows / sample.Ledger:N0} rows/s); notices {sample.Notices:N2} s vs raw {sample.RawNotices:N2} s ({sample.Notices / sample.RawNotices:N2}x, {sample.Messages / sample.Notices:N0} notices/s)"));
        }

        static string MinMedian(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:N2} / {sorted[sorted.Count / 2]:N2}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("| measure (min / median) | value |");
        await output.WriteLineAsync("|---|---|");
        await output.WriteLineAsync($"| run end to end (s) | {MinMedian(samples.Select(s => s.Total))} |");
        await output.WriteLineAsync($"| ledger stage (s) | {MinMedian(samples.Select(s => s.Ledger))} |");
        await output.WriteLineAsync($"| raw ledger + index rows (s) | {MinMedian(samples.Select(s => s.RawLedger))} |");
        await output.WriteLineAsync($"| ledger / raw | {MinMedian(samples.Select(s => s.Ledger / s.RawLedger))} |");
        await output.WriteLineAsync($"| notices stage (s) | {MinMedian(samples.Select(s => s.Notices))} |");
        await output.WriteLineAsync($"| raw sends (s) | {MinMedian(samples.Select(s => s.RawNotices))} |");
        await output.WriteLineAsync($"| notices / raw | {MinMedian(samples.Select(s => s.Notices / s.RawNotices))} |");
        return GrantFlowCli.Success;
    }

    private static async Task<Sample?> MeasureOnceAsync(TextWriter output, IServiceProvider services, GrantFlowTables storage, int count, int fiscalYear, CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<DurableTaskClient>();
        var (parameters, csv) = Generate(count, fiscalYear);
        var watch = Stopwatch.StartNew();
        var run = await services.GetRequiredService<RunService>().StartAsync(parameters, csv, "bench.initiator", TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(200), RecipientLevel.County, cancellationToken: cancellationToken);
        var approvals = services.GetRequiredService<ApprovalService>();
        foreach (var (stage, user) in new[] { (ApprovalStages.Review, "bench.reviewer"), (ApprovalStages.Approval, "bench.approver") })
        {
            while ((await approvals.DecideAsync(run.RunId, stage, user, true, null, cancellationToken)).Outcome != DecisionOutcome.Recorded)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        // Progress while it works: the run's stage as it changes.
        var shown = string.Empty;
        OrchestrationMetadata? done = null;
        while (done is null)
        {
            var instance = await client.GetInstanceAsync(run.RunId, getInputsAndOutputs: true, cancellationToken);
            if (instance?.IsCompleted == true)
            {
                done = instance;
                break;
            }

            var stage = instance?.SerializedCustomStatus ?? string.Empty;
            if (stage != shown)
            {
                shown = stage;
                var progress = instance?.ReadCustomStatusAs<GrantFlow.Contracts.RunProgress>();
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {watch.Elapsed.TotalSeconds,6:N1} s  {progress?.Stage}: {progress?.Detail}"));
            }

            await Task.Delay(100, cancellationToken);
        }

        var total = watch.Elapsed.TotalSeconds;
        var record = await services.GetRequiredService<RunRepository>().FindAsync(run.RunId, cancellationToken);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed || record?.LedgerSeconds is not { } ledger || record.NoticesSeconds is not { } notices)
        {
            await output.WriteLineAsync($"run {run.RunId} ended {done.RuntimeStatus} ({record?.Status}: {record?.Reason})");
            return null;
        }

        await output.WriteLineAsync("  raw SDK work for the same rows and messages...");
        var (rawLedger, rows) = await RawLedgerAsync(storage, [run.RunId], cancellationToken);
        var (rawNotices, messages) = await RawNoticesAsync(storage, [run.RunId], cancellationToken);
        return new Sample(total, ledger, rawLedger, notices, rawNotices, rows, messages);
    }

    /// <summary>
    /// The runs' ledger and index rows inserted into scratch tables: transactions of 100, as many at once as the ledger
    /// does, one run after another as the ledger stages run (each run's rows in its own partitions).
    /// </summary>
    internal static async Task<(double Seconds, int Rows)> RawLedgerAsync(GrantFlowTables storage, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        var work = new List<(bool Index, string Partition, List<Azure.Data.Tables.TableEntity> Rows)>();
        var wanted = runIds.ToHashSet(StringComparer.Ordinal);
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runId in runIds)
        {
            var ledger = new List<Azure.Data.Tables.TableEntity>();
            await foreach (var row in storage.Ledger.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
            {
                ledger.Add(row);
            }

            partitions.Add($"{ledger[0].GetInt32("FiscalYear")}-{ledger[0].GetString("Program")}");
            work.Add((false, runId, ledger));
        }

        foreach (var partition in partitions)
        {
            var index = new Dictionary<string, List<Azure.Data.Tables.TableEntity>>(StringComparer.Ordinal);
            await foreach (var row in storage.LedgerIndex.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
            {
                if (wanted.Contains(row.GetString("RunId")))
                {
                    (index.TryGetValue(row.GetString("RunId"), out var list) ? list : index[row.GetString("RunId")] = []).Add(row);
                }
            }

            work.AddRange(index.Values.Select(rows => (true, partition, rows)));
        }

        var suffix = runIds[0][..8];
        var rawLedger = storage.ScratchTable("BenchLedger" + suffix);
        var rawIndex = storage.ScratchTable("BenchIndex" + suffix);
        await rawLedger.CreateIfNotExistsAsync(cancellationToken);
        await rawIndex.CreateIfNotExistsAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        foreach (var (isIndex, _, rows) in work)
        {
            var table = isIndex ? rawIndex : rawLedger;
            await Parallel.ForEachAsync(rows.Chunk(TableBatches.MaxTransactionSize), new ParallelOptions { MaxDegreeOfParallelism = TableBatches.TransactionConcurrency, CancellationToken = cancellationToken }, async (chunk, token) =>
                await table.SubmitTransactionAsync(chunk.Select(e => new Azure.Data.Tables.TableTransactionAction(Azure.Data.Tables.TableTransactionActionType.Add, new Azure.Data.Tables.TableEntity(e) { ETag = default })), token));
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await rawLedger.DeleteAsync(cancellationToken);
        await rawIndex.DeleteAsync(cancellationToken);
        return (seconds, work.Sum(w => w.Rows.Count));
    }

    /// <summary>The runs' notices (their payloads from the outbox) sent to scratch queues, one per queue the runs used, as many at once as the outbox sends.</summary>
    internal static async Task<(double Seconds, int Messages)> RawNoticesAsync(GrantFlowTables storage, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        var messages = new List<(string Queue, string Payload)>();
        foreach (var runId in runIds)
        {
            await foreach (var row in storage.Outbox.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == runId, cancellationToken: cancellationToken))
            {
                messages.Add(("bench-" + runIds[0][..8] + "-" + row.GetString("Queue"), row.GetString("Payload")));
            }
        }

        var queues = messages.Select(m => m.Queue).Distinct(StringComparer.Ordinal).ToDictionary(q => q, storage.ScratchQueue, StringComparer.Ordinal);
        foreach (var queue in queues.Values)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = NoticeOutbox.SendConcurrency, CancellationToken = cancellationToken }, async (message, token) =>
            await queues[message.Queue].SendMessageAsync(BinaryData.FromString(message.Payload), visibilityTimeout: null, timeToLive: NoticeOutbox.NoticeTimeToLive, token));
        var seconds = watch.Elapsed.TotalSeconds;
        foreach (var queue in queues.Values)
        {
            await queue.DeleteAsync(cancellationToken);
        }

        return (seconds, messages.Count);
    }

    /// <summary>Per-capita run over county-level recipients (6-digit codes), 95% of entitlement, 90% floors.</summary>
    private static (string Parameters, string Csv) Generate(int count, int fiscalYear)
    {
        var random = new Random(3000);
        var provinces = GrantFlow.Domain.Programs.ProvinceCodes.All.Order(StringComparer.Ordinal).ToArray();
        var csv = new StringBuilder("province_code,name_en,name_zh,resident_participants,central_share,prior_year_resident_subsidy_yuan\n");
        decimal entitlement = 0;
        for (var i = 0; i < count; i++)
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"{provinces[i % provinces.Length]}{(i / provinces.Length) + 1:D4}");
            var participants = random.Next(20_000, 1_500_000);
            var share = new[] { 0.5m, 0.6m, 0.8m }[random.Next(3)];
            var weight = participants * 700m * share;
            entitlement += weight;
            var prior = decimal.Floor(weight * (0.8m + (random.Next(0, 25) / 100m)));
            csv.Append(CultureInfo.InvariantCulture, $"{code},County {code},县{code},{participants},{share},{prior}\n");
        }

        var envelope = (long)decimal.Floor(entitlement * 0.95m);
        var parameters = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"program":"resident-insurance","fiscalYear":{{{fiscalYear}}},"envelopeYuan":{{{envelope}}},"formula":{"kind":"per-capita","standardYuan":700},"floor":{"ratio":0.9,"basis":"prior_year_resident_subsidy_yuan"}}""");
        return (parameters, csv.ToString());
    }
}
