using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.PassDown;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using GrantFlow.Contracts;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// <c>grantflow demo --pass-down</c>: after the central release, every province acknowledges its three notices and
/// passes each down to its counties (bundled county data, 2% kept by the province), its own reviewer and approver
/// played by the command; then prints each province's county totals.
/// </summary>
public static class DemoPassDown
{
    public const decimal RetentionShare = 0.02m;

    /// <summary>Pass-down runs worked on at once (each waits on its approvals and its orchestration, not on the CPU).</summary>
    public const int Concurrency = 32;

    public static async Task<(TimeSpan Elapsed, IReadOnlyList<string> RunIds)> RunAsync(IServiceProvider services, IReadOnlyList<string> centralRuns, IAnsiConsole console, CancellationToken cancellationToken, bool report = true, PassDownPhases? phases = null)
    {
        var outbox = services.GetRequiredService<NoticeOutbox>();
        var planner = services.GetRequiredService<PassDownService>();
        var runService = services.GetRequiredService<RunService>();
        var approvals = services.GetRequiredService<ApprovalService>();
        var client = services.GetRequiredService<DurableTaskClient>();
        var runRecords = services.GetRequiredService<RunRepository>();
        var counties = await File.ReadAllLinesAsync(BundledData.CountiesCsv, cancellationToken);
        var parameters = BundledData.RunParameterFiles.ToDictionary(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("program").GetString()!, File.ReadAllText, StringComparer.Ordinal);
        var existing = (await runRecords.ListAsync(null, cancellationToken)).Where(r => r.Kind == RunKinds.PassDown && r.Status != RunStatuses.Failed && r.Status != RunStatuses.Rejected && r.Status != RunStatuses.Expired).Select(r => r.PassesDownNotice).ToHashSet(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var started = new List<string>();
        using var gate = new SemaphoreSlim(Concurrency);
        var completed = 0;
        var work = new List<Task>();
        foreach (var code in ProvinceCodes.All.Order(StringComparer.Ordinal))
        {
            var csv = string.Join("\r\n", counties.Take(1).Concat(counties.Skip(1).Where(l => l.StartsWith(code, StringComparison.Ordinal)))) + "\r\n";
            foreach (var notice in (await outbox.ListForProvinceAsync(code, cancellationToken)).Where(n => centralRuns.Contains(n.RunId) && n.Kind == LedgerEntryKinds.Advance))
            {
                if (existing.Contains(notice.NoticeNumber))
                {
                    continue;
                }

                work.Add(PassDownOneAsync(code, notice.NoticeNumber, csv, parameters[notice.Program]));
            }
        }

        async Task PassDownOneAsync(string code, string noticeNumber, string csv, string parametersJson)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await outbox.AcknowledgeAsync(code, noticeNumber, $"bureau.{code}", DateTimeOffset.UtcNow, cancellationToken);
                using var document = JsonDocument.Parse(parametersJson);
                var plan = await planner.PlanAsync(code, new PassDownBody(noticeNumber, document.RootElement.Clone(), csv, RetentionShare, TimeSpan.FromHours(1)), cancellationToken);
                var startedAt = Stopwatch.GetTimestamp();
                var run = await runService.StartPassDownAsync(plan, $"bureau.{code}", cancellationToken);
                lock (started)
                {
                    started.Add(run.RunId);
                }

                var approvedAt = 0L;
                foreach (var (stage, user) in new[] { (Domain.Approvals.ApprovalStages.Review, $"reviewer.{code}"), (Domain.Approvals.ApprovalStages.Approval, $"approver.{code}") })
                {
                    while ((await approvals.DecideAsync(run.RunId, stage, user, true, null, cancellationToken)).Outcome != DecisionOutcome.Recorded)
                    {
                        await Task.Delay(200, cancellationToken);
                    }

                    var recordedAt = Stopwatch.GetTimestamp();
                    if (phases is not null)
                    {
                        var review = stage == Domain.Approvals.ApprovalStages.Review;
                        if (review)
                        {
                            phases.Add(PassDownPhases.ToReview, Stopwatch.GetElapsedTime(startedAt, recordedAt));
                        }

                        phases.Add(review ? PassDownPhases.ReviewToNext : PassDownPhases.ApprovalToNext, await PassDownPhases.UntilLeftAsync(runRecords, run.RunId, RunStatuses.AwaitingStage(stage), recordedAt, cancellationToken));
                    }

                    approvedAt = recordedAt;
                }

                using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                patience.CancelAfter(TimeSpan.FromMinutes(5));
                await client.WaitForInstanceCompletionAsync(run.RunId, getInputsAndOutputs: false, patience.Token);
                phases?.Add(PassDownPhases.ApprovalToDone, Stopwatch.GetElapsedTime(approvedAt));
                Interlocked.Increment(ref completed);
            }
            finally
            {
                gate.Release();
            }
        }

        var all = Task.WhenAll(work);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) != all)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]pass-down: {Volatile.Read(ref completed)} of {work.Count} runs completed ({watch.Elapsed.TotalSeconds:0} s)[/]"));
        }

        await all;
        var elapsed = watch.Elapsed;
        if (!report)
        {
            return (elapsed, started);
        }

        await WriteAsync(services, console, cancellationToken);
        if (started.Count > 0)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Pass-down: {started.Count} runs in [bold]{elapsed.TotalSeconds:0.0} s[/] (approvals instant)."));
        }
        else
        {
            console.MarkupLine("[yellow]Every notice of these runs is passed down already in this data folder; nothing is passed down again.[/]");
        }

        return (elapsed, started);
    }

    private static async Task WriteAsync(IServiceProvider services, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var runs = (await services.GetRequiredService<RunRepository>().ListAsync(null, cancellationToken)).Where(r => r.Kind == RunKinds.PassDown && r.Status == RunStatuses.Completed).ToList();
        var ledger = services.GetRequiredService<LedgerRepository>();
        var table = new Table().Title("Passed down to the counties (yuan)").AddColumns("Province", "Runs", "Counties", "Ledger entries", "To counties", "Kept (2%)", "Notices");
        long entries = 0, notices = 0;
        foreach (var province in runs.GroupBy(r => r.Owner!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            long toCounties = 0, kept = 0;
            var countyCodes = new HashSet<string>(StringComparer.Ordinal);
            var rows = 0;
            foreach (var run in province)
            {
                foreach (var entry in await ledger.ReadRunAsync(run.RunId, cancellationToken))
                {
                    rows++;
                    if (entry.Kind == LedgerEntryKinds.PassDown)
                    {
                        toCounties += entry.AmountYuan;
                        countyCodes.Add(entry.ProvinceCode);
                    }
                    else
                    {
                        kept += entry.AmountYuan;
                    }
                }
            }

            var sent = province.Sum(r => r.NoticesSent ?? 0);
            entries += rows;
            notices += sent;
            table.AddRow(province.Key, province.Count().ToString(CultureInfo.InvariantCulture), countyCodes.Count.ToString(CultureInfo.InvariantCulture), rows.ToString("N0", CultureInfo.InvariantCulture), toCounties.ToString("N0", CultureInfo.InvariantCulture), kept.ToString("N0", CultureInfo.InvariantCulture), sent.ToString("N0", CultureInfo.InvariantCulture));
        }

        table.Caption(string.Create(CultureInfo.InvariantCulture, $"{runs.Count} pass-down runs, {entries:N0} ledger entries, {notices:N0} county notices"));
        console.Write(table);
    }
}
