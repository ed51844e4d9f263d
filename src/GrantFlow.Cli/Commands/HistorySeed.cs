using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using GrantFlow.Contracts;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Workflows.Notices;
using GrantFlow.Workflows.Runs;
using GrantFlow.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// Writes a finished history in bulk, in the product's own storage formats and through its own write paths where
/// they take bulk (ledger appends, run imports, anchors): for each program and year an advance, a remainder, a
/// settlement and a correction of the centre, and a pass-down by each province to some of its counties; each run's
/// ledger entries hash-chained, filed in the year's index, their notices filed under their recipients (acknowledged),
/// the run's external anchor. What no listing reads is not written (chase tombstones, decisions, run inputs).
/// </summary>
internal sealed class HistorySeed(IServiceProvider services, int countiesPerPassDown)
{
    private readonly RunRepository _runs = services.GetRequiredService<RunRepository>();
    private readonly LedgerRepository _ledger = services.GetRequiredService<LedgerRepository>();
    private readonly LedgerAnchorStore _anchors = services.GetRequiredService<LedgerAnchorStore>();
    private readonly GrantFlowTables _storage = services.GetRequiredService<GrantFlowTables>();
    private readonly ProvinceTable _provinces = ProvinceCsvReader.Read(new StringReader(File.ReadAllText(BundledData.ProvincesCsv)));
    private readonly string[] _counties = [.. File.ReadAllLines(BundledData.CountiesCsv).Skip(1).Select(l => l.Split(',')[0]).Where(c => c.Length == 6)];

    public int Runs;
    public int Entries;

    /// <summary>Seeds one program's year; safe to call for many at once.</summary>
    public async Task SeedAsync(GrantProgram program, int year, CancellationToken cancellationToken)
    {
        var parameters = RunParametersReader.Parse(DemoPrograms.Parameters(program, year));
        var allocation = GrantAllocator.Allocate(parameters, _provinces);
        var at = new DateTimeOffset(year, 1, 15, 8, 0, 0, TimeSpan.Zero);
        var records = new List<RunRecord>();
        var advance = await RunAsync(records, program, year, RunKinds.Advance, at, allocation, LedgerEntryKinds.Advance, a => a.AmountYuan * 9 / 10, null, cancellationToken);
        await RunAsync(records, program, year, RunKinds.Remainder, at.AddMonths(6), allocation, LedgerEntryKinds.Remainder, a => a.AmountYuan - (a.AmountYuan * 9 / 10), null, cancellationToken);
        await RunAsync(records, program, year, RunKinds.Settlement, at.AddYears(1), allocation, LedgerEntryKinds.SettlementTopUp, a => a.AmountYuan / 100, null, cancellationToken);
        await RunAsync(records, program, year, RunKinds.Correction, at.AddMonths(2), allocation with { Provinces = allocation.Provinces.Take(1).ToList() }, LedgerEntryKinds.Reversal, a => a.AmountYuan / 1000, null, cancellationToken);

        // Each province passes its advance down to some of its counties.
        foreach (var province in allocation.Provinces)
        {
            var notice = DisbursementNotice.NumberFor(advance, program.Id, year, province.Code);
            var counties = _counties.Where(c => c.StartsWith(province.Code, StringComparison.Ordinal)).Take(countiesPerPassDown).ToList();
            if (counties.Count == 0)
            {
                continue;
            }

            var amount = province.AmountYuan * 9 / 10 * 98 / 100;
            var lines = counties.Select((c, i) => province with { Code = c, AmountYuan = amount / counties.Count + (i == 0 ? amount % counties.Count : 0) }).ToList();
            await RunAsync(records, program, year, RunKinds.PassDown, at.AddDays(20), allocation with { Provinces = lines }, LedgerEntryKinds.PassDown, a => a.AmountYuan, (province.Code, notice), cancellationToken);
        }

        await _runs.ImportAsync(records, cancellationToken);
        Interlocked.Add(ref Runs, records.Count);
    }

    private async Task<string> RunAsync(List<RunRecord> records, GrantProgram program, int year, string kind, DateTimeOffset at, AllocationResult allocation, string entryKind, Func<ProvinceAllocation, long> amount, (string Province, string Notice)? passesDown, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N");
        var notices = allocation.Provinces.Select(p => DisbursementNotice.Create(runId, year, p with { AmountYuan = amount(p) }, program, at, string.Empty) with { Kind = entryKind }).ToList();
        var entries = LedgerChain.Link(notices.Select((n, i) => new LedgerEntry
        {
            RunId = runId,
            Sequence = i + 1,
            Program = program.Id,
            FiscalYear = year,
            ProvinceCode = n.ProvinceCode,
            Kind = entryKind,
            AmountYuan = n.AmountYuan,
            NoticeNumber = n.NoticeNumber,
            FormulaVersion = allocation.FormulaVersion,
            ExplanationDigest = "seeded history",
            Approvals = "review:reviewer.wang; approval:approver.zhao",
            RecordedAt = at,
            PassesDown = passesDown?.Notice,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        }));
        await _ledger.AppendAsync(runId, entries, cancellationToken);
        var filed = notices.Zip(entries).Select(p =>
        {
            var (partition, row) = NoticeOutbox.IndexKey(p.First.ProvinceCode, p.First.NoticeNumber);
            var payload = JsonSerializer.Serialize(p.First with { LedgerHash = p.Second.Hash, ChainHeadHash = entries[^1].Hash }, WorkflowJson.Options);
            return new TableEntity(partition, row) { ["RunId"] = runId, ["Payload"] = payload, ["AcknowledgedAt"] = at.AddDays(3), ["AcknowledgedBy"] = "seeded" };
        });
        foreach (var group in filed.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            await TableBatches.InsertMissingAsync(_storage.Notices, group.Key, [.. group], cancellationToken);
        }

        var total = entries.Sum(e => e.AmountYuan);
        await _anchors.WriteAsync(new ExternalLedgerAnchor(runId, kind, program.Id, year, entries.Count, entries[^1].Hash, total, null, at), cancellationToken);
        records.Add(new RunRecord
        {
            RunId = runId,
            Kind = kind,
            Program = program.Id,
            FiscalYear = year,
            EnvelopeYuan = total,
            StartedBy = "official.li",
            StartedAt = at,
            Status = RunStatuses.Completed,
            TotalYuan = total,
            ProvinceCount = entries.Count,
            LedgerEntries = entries.Count,
            LedgerHeadHash = entries[^1].Hash,
            NoticesSent = entries.Count,
            CompletedAt = at.AddHours(1),
            Owner = passesDown?.Province,
            PassesDownNotice = passesDown?.Notice,
            Recipients = passesDown is null ? Domain.Validation.RecipientLevel.Province : Domain.Validation.RecipientLevel.County,
        });
        Interlocked.Add(ref Entries, entries.Count);
        return runId;
    }
}
