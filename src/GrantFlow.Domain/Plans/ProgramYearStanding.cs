using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Plans;

/// <summary>
/// Where a program-year stands against its plan, from its central ledger entries: the advance and the remainder net
/// of their corrections (a reversal counts against the kind of the entry it reverses), what settlement added or
/// recovered, and what is left of the expected amount. Without a plan the expected figures are null.
/// </summary>
public sealed record ProgramYearStanding(
    string Program,
    int FiscalYear,
    string? TransferKind,
    long? ExpectedYuan,
    long AdvancedYuan,
    long RemainderYuan,
    long SettledYuan,
    int? PlanVersion)
{
    /// <summary>Advance and remainder released, net of corrections (settlement apart).</summary>
    public long ReleasedYuan => AdvancedYuan + RemainderYuan;

    /// <summary>The advance against the expected amount (null without a plan).</summary>
    public AdvanceRatio? Ratio => ExpectedYuan is { } expected && TransferKind is { } kind ? AdvanceRatioRule.Assess(kind, expected, Math.Max(AdvancedYuan, 0)) : null;

    /// <summary>What is left of the expected amount after the advance and the remainder (null without a plan).</summary>
    public long? OutstandingYuan => ExpectedYuan - ReleasedYuan;

    /// <summary>
    /// The standings of the program-years these entries belong to, with their plans (keyed by program; a program-year
    /// with a plan and no entries stands at zero). Pass-down and retention entries move money already counted and are
    /// left out.
    /// </summary>
    public static IReadOnlyList<ProgramYearStanding> Compute(IEnumerable<LedgerEntry> entries, IReadOnlyCollection<ProgramYearPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(plans);
        var kindOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var reversals = new List<LedgerEntry>();
        var sums = new Dictionary<(string Program, int Year), (Int128 Advanced, Int128 Remainder, Int128 Settled)>();
        foreach (var e in entries)
        {
            var key = (e.Program, e.FiscalYear);
            var sum = sums.GetValueOrDefault(key);
            switch (e.Kind)
            {
                case LedgerEntryKinds.Advance:
                    kindOf[Id(e)] = e.Kind;
                    sum.Advanced += e.AmountYuan;
                    break;
                case LedgerEntryKinds.Remainder:
                    kindOf[Id(e)] = e.Kind;
                    sum.Remainder += e.AmountYuan;
                    break;
                case LedgerEntryKinds.SettlementTopUp:
                    sum.Settled += e.AmountYuan;
                    break;
                case LedgerEntryKinds.SettlementRecovery:
                    sum.Settled -= e.AmountYuan;
                    break;
                case LedgerEntryKinds.Reversal:
                    reversals.Add(e);
                    break;
                default:
                    continue; // pass-down, retention: counted when the centre released it
            }

            sums[key] = sum;
        }

        foreach (var r in reversals)
        {
            var key = (r.Program, r.FiscalYear);
            var sum = sums.GetValueOrDefault(key);
            var reversed = r.Corrects is { } corrects && kindOf.TryGetValue(corrects.Split(':')[0], out var kind) ? kind : LedgerEntryKinds.Advance;
            if (reversed == LedgerEntryKinds.Remainder)
            {
                sum.Remainder -= r.AmountYuan;
            }
            else
            {
                sum.Advanced -= r.AmountYuan;
            }

            sums[key] = sum;
        }

        foreach (var plan in plans)
        {
            sums.TryAdd((plan.Program, plan.FiscalYear), default);
        }

        var byProgramYear = plans.ToDictionary(p => (p.Program, p.FiscalYear));
        return
        [
            .. sums.OrderBy(s => s.Key.Year).ThenBy(s => s.Key.Program, StringComparer.Ordinal).Select(s =>
            {
                var plan = byProgramYear.GetValueOrDefault(s.Key);
                return new ProgramYearStanding(s.Key.Program, s.Key.Year, plan?.TransferKind, plan?.ExpectedYuan, Fit(s.Value.Advanced), Fit(s.Value.Remainder), Fit(s.Value.Settled), plan?.Version);
            }),
        ];
    }

    private static string Id(LedgerEntry e) => e.RunId + "/" + e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long Fit(Int128 value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : throw new OverflowException($"{value} yuan is beyond what any ledger holds.");
}
