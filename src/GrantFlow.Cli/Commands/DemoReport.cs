using GrantFlow.Contracts;
using System.Globalization;
using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrantFlow.Cli.Commands;

/// <summary>Prints what a set of runs produced: allocations, ledger totals and notices per province.</summary>
public static class DemoReport
{
    public static async Task WriteAsync(IServiceProvider services, IReadOnlyList<string> runIds, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var runs = services.GetRequiredService<RunRepository>();
        var ledger = services.GetRequiredService<LedgerRepository>();
        var allocations = services.GetRequiredService<AllocationRepository>();
        var storage = services.GetRequiredService<GrantFlowTables>();

        var programs = new List<(RunRecord Run, IReadOnlyList<LedgerEntry> Entries)>();
        foreach (var id in runIds)
        {
            var run = await runs.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"run {id} vanished");
            programs.Add((run, await ledger.ReadRunAsync(id, cancellationToken)));
        }

        var byProvince = new Table().Title("Allocations (yuan)").AddColumn("Code").AddColumn("Province");
        foreach (var (run, _) in programs)
        {
            byProvince.AddColumn(new TableColumn(run.Program).RightAligned());
        }

        byProvince.AddColumn(new TableColumn("Notices on queue").RightAligned());
        var first = await allocations.LoadAsync(runIds[0], cancellationToken);
        var amounts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (run, entries) in programs)
        {
            amounts[run.RunId] = entries.ToDictionary(e => e.ProvinceCode, e => e.AmountYuan, StringComparer.Ordinal);
        }

        var noticeTotal = 0;
        foreach (var province in first)
        {
            var queue = storage.NoticeQueue(province.Code);
            var peeked = await queue.PeekMessagesAsync(32, cancellationToken);
            var ours = peeked.Value.Count(m => runIds.Any(id => m.Body.ToString().Contains(id, StringComparison.Ordinal)));
            noticeTotal += ours;
            var cells = new List<string> { province.Code, Markup.Escape($"{province.NameEn} {province.NameZh}") };
            cells.AddRange(programs.Select(p => amounts[p.Run.RunId].GetValueOrDefault(province.Code).ToString("N0", CultureInfo.InvariantCulture)));
            cells.Add(ours.ToString(CultureInfo.InvariantCulture));
            byProvince.AddRow(cells.ToArray());
        }

        console.Write(byProvince);

        var totals = new Table().Title("Ledger").AddColumn("Run").AddColumn("Program").AddColumn("Status")
            .AddColumn(new TableColumn("Entries").RightAligned()).AddColumn(new TableColumn("Ledger total (yuan)").RightAligned()).AddColumn("Chain").AddColumn("Head hash");
        foreach (var (run, entries) in programs)
        {
            var problems = LedgerChain.Verify(entries);
            totals.AddRow(run.RunId[..8], run.Program, run.Status, entries.Count.ToString(CultureInfo.InvariantCulture),
                entries.Sum(e => e.AmountYuan).ToString("N0", CultureInfo.InvariantCulture), problems.Count == 0 ? "intact" : $"{problems.Count} problem(s)", (run.LedgerHeadHash ?? string.Empty)[..Math.Min(16, run.LedgerHeadHash?.Length ?? 0)]);
        }

        var grand = programs.Sum(p => p.Entries.Sum(e => e.AmountYuan));
        totals.AddRow(string.Empty, "[bold]Total[/]", string.Empty, programs.Sum(p => p.Entries.Count).ToString(CultureInfo.InvariantCulture), $"[bold]{grand.ToString("N0", CultureInfo.InvariantCulture)}[/]", string.Empty, string.Empty);
        console.Write(totals);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Notices received: {noticeTotal} across {first.Count} province queues."));
    }
}
