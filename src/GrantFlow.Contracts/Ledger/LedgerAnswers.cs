using GrantFlow.Domain.Ledger;

namespace GrantFlow.Contracts;

/// <summary>A page of entries and the token for the next page (null on the last).</summary>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken);

/// <summary>
/// Totals of a query by fiscal year, program, province and kind: <see cref="AmountYuan"/> is the gross of the kind
/// (always positive, as entries are stored), <see cref="NetYuan"/> its signed effect (recoveries and reversals
/// negative), so the net of a province is the sum of its lines' <see cref="NetYuan"/>.
/// </summary>
public sealed record LedgerTotal(int FiscalYear, string Program, string ProvinceCode, string Kind, int Entries, long AmountYuan)
{
    public decimal AmountWanYuan => AmountYuan / 10_000m;

    public long NetYuan => LedgerEntryKinds.NetEffect(Kind, AmountYuan);
}

/// <summary>
/// Ledger totals as auditors read them: each line (program, province, kind) with its gross and its signed net, each
/// program and province's net, and the net of everything. Recoveries and reversals count negative.
/// </summary>
/// <remarks><see cref="Programs"/>: for a whole year or program-year (no narrower filter), each program against its plan.</remarks>
public sealed record LedgerTotalsView(IReadOnlyList<LedgerTotal> Lines, IReadOnlyList<LedgerNet> Net, long NetYuan)
{
    public IReadOnlyList<PlanStandingLine>? Programs { get; init; }
}

/// <summary>The net a province holds of a program and year.</summary>
public sealed record LedgerNet(int FiscalYear, string Program, string ProvinceCode, long NetYuan)
{
    public decimal NetWanYuan => NetYuan / 10_000m;
}

/// <summary>
/// An entry traced up the levels it was passed down through: <see cref="Path"/> from the entry asked for (a county's,
/// a prefecture's) to the central entry it came from; <see cref="Intact"/> when every link holds (each named entry
/// exists with the named hash, hashes from its content, is the payer's, of the same program and year) and each run
/// on the path has an unbroken chain; otherwise <see cref="Problems"/> say which link.
/// </summary>
public sealed record LedgerTraceView(IReadOnlyList<LedgerEntry> Path, bool Intact, IReadOnlyList<TraceFinding> Problems);
