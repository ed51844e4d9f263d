using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Plans;

/// <summary>
/// A program-year's expected amount and kind of transfer, as a finance officer set it. Plans are never changed: a new
/// figure is a new version naming the one before it by hash (<see cref="PlanChain"/>), so the history of what was
/// expected, who set it, when and why stays readable and any edit shows.
/// </summary>
public sealed record ProgramYearPlan
{
    public required string Program { get; init; }
    public required int FiscalYear { get; init; }

    /// <summary>"general" or "special" (<see cref="AdvanceRatioRule.TransferKinds"/>).</summary>
    public required string TransferKind { get; init; }
    public required long ExpectedYuan { get; init; }
    public required string SetBy { get; init; }
    public required DateTimeOffset SetAt { get; init; }

    /// <summary>Why the figure was set or changed (required for a change).</summary>
    public string? Reason { get; init; }

    /// <summary>1 for the first figure of the program-year, then 2, 3...</summary>
    public int Version { get; init; }
    public string PreviousHash { get; init; } = LedgerChain.Genesis;
    public string Hash { get; init; } = string.Empty;

    /// <summary>The least advance the rule allows for this plan.</summary>
    public AdvanceRatio Assess(long advanceYuan) => AdvanceRatioRule.Assess(TransferKind, ExpectedYuan, advanceYuan);
}

/// <summary>The hash chain of a program-year's plan versions.</summary>
public static class PlanChain
{
    /// <summary>The canonical text a version's hash covers (fixed order, invariant culture, '|' separated).</summary>
    public static string CanonicalContent(ProgramYearPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.Join(
            '|',
            "plan",
            plan.Program,
            plan.FiscalYear.ToString(CultureInfo.InvariantCulture),
            plan.Version.ToString(CultureInfo.InvariantCulture),
            plan.TransferKind,
            plan.ExpectedYuan.ToString(CultureInfo.InvariantCulture),
            plan.SetBy,
            plan.SetAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            plan.Reason ?? string.Empty,
            plan.PreviousHash);
    }

    public static string ComputeHash(ProgramYearPlan plan) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalContent(plan))));

    /// <summary>The next version after <paramref name="current"/> (null: the first), numbered, linked and hashed.</summary>
    public static ProgramYearPlan Next(ProgramYearPlan? current, ProgramYearPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var linked = plan with { Version = (current?.Version ?? 0) + 1, PreviousHash = current?.Hash ?? LedgerChain.Genesis, Hash = string.Empty };
        return linked with { Hash = ComputeHash(linked) };
    }

    /// <summary>The problems found in a program-year's versions (oldest first), empty when the chain is intact.</summary>
    public static IReadOnlyList<string> Verify(IReadOnlyList<ProgramYearPlan> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var problems = new List<string>();
        var previous = LedgerChain.Genesis;
        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            var where = $"plan {v.Program} {v.FiscalYear} version {v.Version}";
            if (v.Version != i + 1)
            {
                problems.Add($"{where}: version {i + 1} was expected (a version deleted, inserted or reordered).");
            }

            if (!string.Equals(v.PreviousHash, previous, StringComparison.Ordinal))
            {
                problems.Add($"{where}: previous hash does not match the version before it.");
            }

            if (!string.Equals(ComputeHash(v), v.Hash, StringComparison.Ordinal))
            {
                problems.Add($"{where}: content does not match its hash (edited).");
            }

            previous = v.Hash;
        }

        return problems;
    }
}
