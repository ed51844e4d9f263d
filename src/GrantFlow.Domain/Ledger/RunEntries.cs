using System.Globalization;
using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Notices;

namespace GrantFlow.Domain.Ledger;

/// <summary>Who approved a run's entries and when they were recorded: the same on every entry of one write.</summary>
public sealed record RunEntryBasis(string RunId, string Program, int FiscalYear, string Approvals, DateTimeOffset RecordedAt);

/// <summary>
/// What each kind of run writes to the ledger, unchained (sequence and hashes are given when they are appended):
/// advances and remainders one entry per province, settlements a top-up or a recovery per province whose entitlement
/// moved, pass-downs one per county and the province's retention, corrections a reversal and its replacement.
/// </summary>
public static class RunEntries
{
    /// <summary>An advance's (or, with <see cref="LedgerEntryKinds.Remainder"/>, a remainder's) entry per province.</summary>
    public static IEnumerable<LedgerEntry> Releases(RunEntryBasis basis, IEnumerable<ProvinceAllocation> provinces, string kind = LedgerEntryKinds.Advance) =>
        provinces.Select(a => Entry(basis, a) with { Kind = kind });

    /// <summary>
    /// A settlement's entries: a top-up where the settled entitlement exceeds the advance, a recovery where it falls
    /// short (both stored positive), nothing where they agree; each digest names the advanced and settled figures.
    /// </summary>
    public static IEnumerable<LedgerEntry> Settlement(RunEntryBasis basis, IEnumerable<ProvinceAllocation> differences, IReadOnlyDictionary<string, (long Advanced, long Settled)> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return differences.Where(a => a.AmountYuan != 0).Select(a => Entry(basis, a) with
        {
            Kind = a.AmountYuan > 0 ? LedgerEntryKinds.SettlementTopUp : LedgerEntryKinds.SettlementRecovery,
            AmountYuan = Math.Abs(a.AmountYuan),
            ExplanationDigest = Digest(a) + string.Create(CultureInfo.InvariantCulture, $"; advanced={figures[a.Code].Advanced}; settled={figures[a.Code].Settled}"),
        });
    }

    /// <summary>
    /// A pass-down's entries: one per county, then the province's retention (when it keeps any), each naming the
    /// central entry passed down (<paramref name="passesDown"/>); together they add up to that entry's amount.
    /// </summary>
    public static IEnumerable<LedgerEntry> PassDown(RunEntryBasis basis, IEnumerable<ProvinceAllocation> counties, string passesDown, string province, string notice, long retainedYuan, decimal? retentionShare, long envelopeYuan)
    {
        ArgumentNullException.ThrowIfNull(basis);
        foreach (var county in counties)
        {
            yield return Entry(basis, county) with { Kind = LedgerEntryKinds.PassDown, PassesDown = passesDown };
        }

        if (retainedYuan > 0)
        {
            yield return new LedgerEntry
            {
                RunId = basis.RunId,
                Sequence = 0,
                Program = basis.Program,
                FiscalYear = basis.FiscalYear,
                ProvinceCode = province,
                Kind = LedgerEntryKinds.Retention,
                AmountYuan = retainedYuan,
                NoticeNumber = notice,
                FormulaVersion = "retention/1",
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"retained={retainedYuan}; share={retentionShare}; of={envelopeYuan}"),
                Approvals = basis.Approvals,
                RecordedAt = basis.RecordedAt,
                PassesDown = passesDown,
                PreviousHash = string.Empty,
                Hash = string.Empty,
            };
        }
    }

    /// <summary>
    /// A correction's entries: a reversal of <paramref name="original"/> and its replacement at
    /// <paramref name="correctedYuan"/>, both naming the original entry and the reason.
    /// </summary>
    public static IReadOnlyList<LedgerEntry> Correction(RunEntryBasis basis, ProvinceAllocation row, LedgerEntry original, long correctedYuan, string reason)
    {
        ArgumentNullException.ThrowIfNull(original);
        var corrects = string.Create(CultureInfo.InvariantCulture, $"{original.RunId}/{original.Sequence}:{original.Hash}");
        var entry = Entry(basis, row) with { Corrects = corrects, Reason = reason };
        return
        [
            entry with
            {
                Kind = LedgerEntryKinds.Reversal,
                AmountYuan = original.AmountYuan,
                NoticeNumber = original.NoticeNumber,
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"reverses={original.RunId}/{original.Sequence}; original={original.AmountYuan}"),
            },
            entry with
            {
                Kind = original.Kind,
                AmountYuan = correctedYuan,
                ExplanationDigest = string.Create(CultureInfo.InvariantCulture, $"replaces={original.RunId}/{original.Sequence}; corrected={correctedYuan}"),
            },
        ];
    }

    private static string Digest(ProvinceAllocation a) => string.Create(
        CultureInfo.InvariantCulture,
        $"exact={a.Explanation.ExactShareFraction}; floor={a.Explanation.FloorYuan}; bound={a.Explanation.FloorBound}; down={a.Explanation.RoundedDownYuan}; adj={a.Explanation.RoundingAdjustmentYuan}");

    private static LedgerEntry Entry(RunEntryBasis basis, ProvinceAllocation a)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return new()
        {
            RunId = basis.RunId,
            Sequence = 0,
            Program = basis.Program,
            FiscalYear = basis.FiscalYear,
            ProvinceCode = a.Code,
            Kind = LedgerEntryKinds.Advance,
            AmountYuan = a.AmountYuan,
            NoticeNumber = DisbursementNotice.NumberFor(basis.RunId, basis.Program, basis.FiscalYear, a.Code),
            FormulaVersion = a.Explanation.FormulaVersion,
            ExplanationDigest = Digest(a),
            Approvals = basis.Approvals,
            RecordedAt = basis.RecordedAt,
            PreviousHash = string.Empty,
            Hash = string.Empty,
        };
    }
}
