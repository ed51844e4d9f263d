using System.Globalization;
using System.Text.Json;
using GrantFlow.Contracts;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.PassDown;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// The demo's way down through the cities (下达到市县): Jiangsu acknowledges its service-capacity advance and passes it
/// to its prefectures (bundled prefecture data, 2% kept), its first prefecture passes its share to its counties (1%
/// kept), each approved by its own reviewer and approver; then one county's yuan is traced back to the central entry.
/// On a data folder that has done it, the trace is printed again and nothing is passed down twice.
/// </summary>
public static class DemoPrefectures
{
    public const string Province = "32";
    public const string Prefecture = "3201";

    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> centralRuns, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var outbox = services.GetRequiredService<NoticeOutbox>();
        var central = (await outbox.ListForProvinceAsync(Province, cancellationToken))
            .FirstOrDefault(n => centralRuns.Contains(n.RunId) && n.Program == Domain.Programs.GrantProgramCatalog.ServiceCapacity && n.Kind == LedgerEntryKinds.Advance);
        if (central is null)
        {
            return;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var parameters = await File.ReadAllTextAsync(BundledData.RunParameterFiles.Single(f => f.Contains(central.Program, StringComparison.Ordinal)), cancellationToken);
        var prefectureLines = await File.ReadAllLinesAsync(BundledData.PrefecturesCsv, cancellationToken);
        var countyLines = await File.ReadAllLinesAsync(BundledData.CountiesCsv, cancellationToken);
        var names = prefectureLines.Skip(1).Concat(countyLines.Skip(1)).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[2], StringComparer.Ordinal);
        var toPrefectures = await PassDownAsync(services, Province, central.NoticeNumber, parameters, prefectures: Rows(prefectureLines, Province), retention: 0.02m, cancellationToken: cancellationToken);
        var notice = (await outbox.ListForProvinceAsync(Prefecture, cancellationToken)).Single(n => n.RunId == toPrefectures);
        var toCounties = await PassDownAsync(services, Prefecture, notice.NoticeNumber, parameters, counties: Rows(countyLines, Prefecture), retention: 0.01m, cancellationToken: cancellationToken);

        var passedDown = watch.Elapsed;
        watch.Restart();
        var trace = await services.GetRequiredService<LedgerTracer>().TraceAsync(toCounties, 1, cancellationToken)
            ?? throw new InvalidOperationException($"run {toCounties} wrote no entry 1.");
        var traced = watch.Elapsed;
        var table = new Table().Title("One county yuan traced back to the centre (grantflow trace)").AddColumns("Level", "Recipient", "Kind", "Amount (yuan)", "Entry", "Hash");
        foreach (var (e, level) in trace.Path.Select((e, i) => (e, i)))
        {
            table.AddRow(level switch { 0 => "county", 1 => "prefecture", _ => "province (central)" }, $"{e.ProvinceCode} {names.GetValueOrDefault(e.ProvinceCode) ?? Domain.Programs.ProvinceNames.Chinese(e.ProvinceCode)}", e.Kind, e.AmountYuan.ToString("N0", CultureInfo.InvariantCulture), $"{e.RunId[..8]}/{e.Sequence}", e.Hash[..16]);
        }

        table.Caption((trace.Intact ? $"江苏 → {names[Prefecture]} → its counties: every link holds ({trace.Path.Count - 1} links)." : $"{trace.Problems.Count} problem(s): {string.Join("; ", trace.Problems.Select(p => p.Message))}")
            + string.Create(CultureInfo.InvariantCulture, $" Both pass-downs {passedDown.TotalSeconds:0.0} s (approvals instant), the trace {traced.TotalMilliseconds:0} ms."));
        console.Write(table);
    }

    private static string Rows(string[] lines, string under) =>
        string.Join("\r\n", lines.Take(1).Concat(lines.Skip(1).Where(l => l.StartsWith(under, StringComparison.Ordinal)))) + "\r\n";

    /// <summary>The payer acknowledges the notice and passes it down (or finds its pass-down done before); returns the run id.</summary>
    private static async Task<string> PassDownAsync(IServiceProvider services, string payer, string noticeNumber, string parameters, string? counties = null, string? prefectures = null, decimal retention = 0m, CancellationToken cancellationToken = default)
    {
        var done = (await services.GetRequiredService<RunRepository>().ListAsync(null, cancellationToken))
            .FirstOrDefault(r => r.Kind == RunKinds.PassDown && r.PassesDownNotice == noticeNumber && r.Status is not (RunStatuses.Failed or RunStatuses.Rejected or RunStatuses.Expired));
        var runId = done?.RunId;
        if (runId is null)
        {
            await services.GetRequiredService<NoticeAcknowledgements>().AcknowledgeAsync(payer, noticeNumber, $"bureau.{payer}", DateTimeOffset.UtcNow, cancellationToken);
            using var document = JsonDocument.Parse(parameters);
            var plan = await services.GetRequiredService<PassDownService>().PlanAsync(payer, new PassDownBody(noticeNumber, document.RootElement.Clone(), counties, retention, TimeSpan.FromHours(1), prefectures), cancellationToken);
            runId = (await services.GetRequiredService<RunService>().StartPassDownAsync(plan, $"bureau.{payer}", cancellationToken)).RunId;
        }

        // Each stage decided when it opens; a stage already past (a demo run again after an interruption) is left alone.
        var approvals = services.GetRequiredService<ApprovalService>();
        var records = services.GetRequiredService<RunRepository>();
        string[] order = [RunStatuses.Started, RunStatuses.Computing, RunStatuses.AwaitingReview, RunStatuses.AwaitingApproval];
        foreach (var (stage, user) in new[] { (Domain.Approvals.ApprovalStages.Review, $"reviewer.{payer}"), (Domain.Approvals.ApprovalStages.Approval, $"approver.{payer}") })
        {
            var awaiting = RunStatuses.AwaitingStage(stage);
            while (await records.FindAsync(runId, cancellationToken) is { } record && Array.IndexOf(order, record.Status) is var at && at >= 0 && at <= Array.IndexOf(order, awaiting))
            {
                if (record.Status == awaiting && (await approvals.DecideAsync(runId, stage, user, true, null, cancellationToken)).Outcome == DecisionOutcome.Recorded)
                {
                    break;
                }

                await Task.Delay(200, cancellationToken);
            }
        }

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(5));
        await services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: false, patience.Token);
        return runId;
    }
}
