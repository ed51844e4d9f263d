using System.Globalization;
using GrantFlow.Domain.Ledger;
using GrantFlow.Domain.Plans;
using GrantFlow.Workflows.Ledger;

namespace GrantFlow.Workflows.Plans;

/// <summary>
/// A plan's versions against their hash chain and their external anchors (one write-once blob per version beside the
/// runs' anchors): a rewritten plan table, even one whose chain was recomputed, a deleted version or a deleted plan
/// shows. <c>ledger verify</c> lists each program-year as <c>plan:{program}/{year}</c>.
/// </summary>
public sealed class PlanAudit(PlanRepository plans, LedgerAnchorStore anchors)
{
    public static PlanAnchor AnchorOf(ProgramYearPlan plan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanAnchor(plan.Program, plan.FiscalYear, plan.Version, plan.Hash, plan.ExpectedYuan, plan.TransferKind, at);
    }

    /// <summary>The chain's problems and each version's disagreement with its anchor (and anchors of versions not in the table).</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(string program, int fiscalYear, IReadOnlyList<ProgramYearPlan> versions, IEnumerable<int>? anchoredVersions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var problems = PlanChain.Verify(versions).ToList();
        foreach (var version in versions)
        {
            var anchor = await anchors.ReadPlanAsync(fiscalYear, program, version.Version, cancellationToken);
            if (anchor is null)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"version {version.Version} has no external anchor (setting the same figures again writes it if it was lost to a crash)."));
            }
            else if (anchor.Hash != version.Hash || anchor.ExpectedYuan != version.ExpectedYuan)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"version {version.Version} is not what was anchored: the anchor holds {anchor.ExpectedYuan:N0} yuan, hash {anchor.Hash[..16]}; the plan table {version.ExpectedYuan:N0} yuan, hash {version.Hash[..Math.Min(16, version.Hash.Length)]}."));
            }
        }

        var listed = anchoredVersions ?? (await anchors.ListPlansAsync(fiscalYear, cancellationToken)).Where(a => a.Program == program).Select(a => a.Version);
        foreach (var missing in listed.Where(v => versions.All(p => p.Version != v)).Order())
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"version {missing} is anchored but missing from the plan table: it was deleted."));
        }

        return problems;
    }

    /// <summary>Every program-year's plan of a year (or of all years) with a row or an anchor, as verification results.</summary>
    public async Task<IReadOnlyList<LedgerVerification>> VerifyAsync(int? fiscalYear, CancellationToken cancellationToken = default)
    {
        var stored = (await plans.AllVersionsAsync(fiscalYear, cancellationToken)).ToLookup(p => (p.FiscalYear, p.Program));
        var anchored = (await anchors.ListPlansAsync(fiscalYear, cancellationToken)).ToLookup(a => (a.FiscalYear, a.Program), a => a.Version);
        var results = new List<LedgerVerification>();
        foreach (var (year, program) in stored.Select(g => g.Key).Union(anchored.Select(g => g.Key)).OrderBy(k => k.FiscalYear).ThenBy(k => k.Program, StringComparer.Ordinal))
        {
            var versions = stored[(year, program)].OrderBy(p => p.Version).ToList();
            var problems = await ProblemsAsync(program, year, versions, anchored[(year, program)], cancellationToken);
            results.Add(new LedgerVerification(
                string.Create(CultureInfo.InvariantCulture, $"plan:{program}/{year}"),
                versions.Count,
                versions.Count > 0 ? versions[^1].Hash : LedgerChain.Genesis,
                [.. problems.Select(p => new LedgerProblem("-", LedgerProblem.Plan, p))]));
        }

        return results;
    }
}
