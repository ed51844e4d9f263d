using GrantFlow.Domain.Plans;

namespace GrantFlow.Contracts;

/// <summary>
/// Body of PUT /api/plans/{program}/{fiscalYear}: the year's expected amount and the kind of transfer (general or
/// special; the catalog's kind of the program when left out), and why (required when it changes a figure).
/// </summary>
public sealed record SetPlanBody(long ExpectedYuan, string? TransferKind = null, string? Reason = null);

/// <summary>A program-year's plan: the current version, every version oldest first, and what the chain check found.</summary>
public sealed record PlanAnswer(ProgramYearPlan Current, IReadOnlyList<ProgramYearPlan> Versions, int MinimumPercent, long MinimumAdvanceYuan, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the versions' hash chain is intact.</summary>
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// A program-year as officials and auditors read it: its plan (null figures without one), advance, ratio, remainder,
/// settlement and what is outstanding.
/// </summary>
public sealed record PlanStandingLine(
    string Program,
    int FiscalYear,
    string? TransferKind,
    long? ExpectedYuan,
    long AdvancedYuan,
    string? AdvancePercent,
    int? MinimumPercent,
    bool? MeetsMinimum,
    long RemainderYuan,
    long SettledYuan,
    long ReleasedYuan,
    long? OutstandingYuan,
    int? PlanVersion)
{
    public static PlanStandingLine From(ProgramYearStanding s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var ratio = s.Ratio;
        return new(s.Program, s.FiscalYear, s.TransferKind, s.ExpectedYuan, s.AdvancedYuan, ratio?.Percent, ratio?.MinimumPercent, ratio?.MeetsMinimum, s.RemainderYuan, s.SettledYuan, s.ReleasedYuan, s.OutstandingYuan, s.PlanVersion);
    }
}
