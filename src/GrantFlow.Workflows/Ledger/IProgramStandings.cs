using GrantFlow.Domain.Ledger;

namespace GrantFlow.Workflows.Ledger;

/// <summary>Where programs stand against their plans (the plans feature keeps the plans; the ledger's totals show them).</summary>
public interface IProgramStandings
{
    /// <summary>The standings of a year (or one program of it) from its central entries, already read by the caller.</summary>
    Task<IReadOnlyList<PlanStandingLine>> OfAsync(int fiscalYear, string? program, IReadOnlyList<LedgerEntry> centralEntries, CancellationToken cancellationToken = default);

    /// <summary>Each program-year's plan versions against their chain and external anchors, as <c>plan:{program}/{year}</c> results.</summary>
    Task<IReadOnlyList<LedgerVerification>> VerifyPlansAsync(int? fiscalYear, CancellationToken cancellationToken = default);
}
