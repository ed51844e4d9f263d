using System.Globalization;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Notices;
using GrantFlow.Workflows.Ledger;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>
/// What each kind of run writes to the ledger: advances and remainders one entry per province, settlements a top-up
/// or a recovery per province whose entitlement moved, pass-downs one per county and the province's retention,
/// corrections a reversal and its replacement.
/// </summary>
public sealed class RunLedgerEntries(RunRepository runs, AllocationRepository allocations, LedgerRepository ledger)
{
    /// <summary>The run's entries by its kind, unchained (sequence and hashes are given when they are appended).</summary>
    public async Task<IEnumerable<LedgerEntry>> BuildAsync(RunRecord record, LedgerWrite write, CancellationToken cancellationToken = default)
    {
        if (record.Kind == RunKinds.Correction)
        {
            return await CorrectionEntriesAsync(record, write, cancellationToken);
        }

        var rows = await allocations.LoadAsync(write.RunId, cancellationToken);
        if (record.Kind == RunKinds.Settlement)
        {
            var figures = await allocations.LoadSettlementFiguresAsync(write.RunId, cancellationToken);
            return rows.Where(a => a.AmountYuan != 0).Select(a => Entry(record, write, a) with
            {
                Kind = a.AmountYuan > 0 ? LedgerEntryKinds.SettlementTopUp : LedgerEntryKinds.SettlementRecovery,
                AmountYuan = Math.Abs(a.AmountYuan),
                ExplanationDigest = Digest(a) + string.Create(CultureInfo.InvariantCulture, $"; advanced={figures[a.Code].Advanced}; settled={figures[a.Code].Settled}"),
            });
        }

        if (record.Kind == RunKinds.PassDown)
        {
            return PassDownEntries(record, write, rows);
        }

        return record.Kind == RunKinds.Remainder
            ? rows.Select(a => Entry(record, write, a) with { Kind = LedgerEntryKinds.Remainder })
            : rows.Select(a => Entry(record, write, a));
    }

    /// <summary>
    /// A pass-down's entries: one per county, then the province's retention (when it keeps any), each naming the
    /// central entry passed down; together they add up to that entry's amount.
    /// </summary>
    private static IEnumerable<LedgerEntry> PassDownEntries(RunRecord record, LedgerWrite write, IReadOnlyList<Domain.Allocation.ProvinceAllocation> counties)
    {
        foreach (var county in counties)
        {
            yield return Entry(record, write, county) with { Kind = LedgerEntryKinds.PassDown, PassesDown = record.PassesDown };
        }

        if (record.RetentionYuan is > 0 and var retained)
        {
            yield return new LedgerEntry
            {
                RunId = write.RunId,
                Sequence = 0,
                Program = record.Program,
                FiscalYear = record.FiscalYear,
                ProvinceCode = record.Owner!,
                Kind = LedgerEntryKinds.Retention,
                AmountYuan = retained,
                NoticeNumber = record.PassesDownNotice!,
                FormulaVersion = "retention/1",
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"retained={retained}; share={record.RetentionShare}; of={record.EnvelopeYuan}"),
                Approvals = write.Approvals,
                RecordedAt = write.RecordedAt,
                PassesDown = record.PassesDown,
                PreviousHash = string.Empty,
                Hash = string.Empty,
            };
        }
    }

    /// <summary>A reversal of the original entry and its replacement, both naming the entry and the reason.</summary>
    private async Task<IEnumerable<LedgerEntry>> CorrectionEntriesAsync(RunRecord record, LedgerWrite write, CancellationToken cancellationToken)
    {
        var request = CorrectionRequests.Parse(await runs.LoadParametersAsync(record.RunId, cancellationToken));
        var original = (await ledger.ReadRunAsync(request.CorrectsRunId, cancellationToken)).Single(e => e.ProvinceCode == request.ProvinceCode);
        var row = (await allocations.LoadAsync(write.RunId, cancellationToken)).Single();
        var corrects = string.Create(CultureInfo.InvariantCulture, $"{original.RunId}/{original.Sequence}:{original.Hash}");
        var basis = Entry(record, write, row) with { Corrects = corrects, Reason = request.Reason };
        return
        [
            basis with
            {
                Kind = LedgerEntryKinds.Reversal,
                AmountYuan = original.AmountYuan,
                NoticeNumber = original.NoticeNumber,
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"reverses={original.RunId}/{original.Sequence}; original={original.AmountYuan}"),
            },
            basis with
            {
                Kind = original.Kind,
                AmountYuan = request.AmountYuan,
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"replaces={original.RunId}/{original.Sequence}; corrected={request.AmountYuan}"),
            },
        ];
    }

    private static string Digest(Domain.Allocation.ProvinceAllocation a) => string.Create(
        CultureInfo.InvariantCulture,
        $"exact={a.Explanation.ExactShareFraction}; floor={a.Explanation.FloorYuan}; bound={a.Explanation.FloorBound}; down={a.Explanation.RoundedDownYuan}; adj={a.Explanation.RoundingAdjustmentYuan}");

    private static LedgerEntry Entry(RunRecord record, LedgerWrite write, Domain.Allocation.ProvinceAllocation a) =>
        new()
        {
            RunId = write.RunId,
            Sequence = 0,
            Program = record.Program,
            FiscalYear = record.FiscalYear,
            ProvinceCode = a.Code,
            Kind = LedgerEntryKinds.Advance,
            AmountYuan = a.AmountYuan,
            NoticeNumber = DisbursementNotice.NumberFor(write.RunId, record.Program, record.FiscalYear, a.Code),
            FormulaVersion = a.Explanation.FormulaVersion,
            ExplanationDigest = Digest(a),
            Approvals = write.Approvals,
            RecordedAt = write.RecordedAt,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        };
}
