using GrantFlow.Contracts;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Workflows.Ledger;

/// <summary>
/// Traces a ledger entry up the levels its money came down (county → prefecture → province → centre), reading each
/// run on the path once and checking each link (<see cref="LedgerTrace"/>) and each run's own chain, so a trace cannot
/// show a path whose entries were edited. Bounded: at most <see cref="LedgerTrace.MaxLinks"/> links.
/// </summary>
public sealed class LedgerTracer(LedgerRepository ledger)
{
    /// <summary>The path from the entry to its central entry; null when the run has no entry at that sequence.</summary>
    public async Task<LedgerTraceView?> TraceAsync(string runId, int sequence, CancellationToken cancellationToken = default)
    {
        var entries = await ledger.ReadRunAsync(runId, cancellationToken);
        var entry = entries.FirstOrDefault(e => e.Sequence == sequence);
        if (entry is null)
        {
            return null;
        }

        var path = new List<LedgerEntry> { entry };
        var problems = new List<TraceFinding>(ChainProblems(runId, entries));
        for (var link = 0; link < LedgerTrace.MaxLinks && entry.PassesDown is { } named; link++)
        {
            if (!EntryReference.TryParse(named, out var reference))
            {
                problems.Add(new(TraceFinding.Unreadable, $"entry {entry.RunId}/{entry.Sequence} names an unreadable entry ({named}): it traces back to nothing."));
                return new LedgerTraceView(path, false, problems);
            }

            var above = await ledger.ReadRunAsync(reference.RunId, cancellationToken);
            var parent = above.FirstOrDefault(e => e.Sequence == reference.Sequence);
            problems.AddRange(LedgerTrace.LinkProblems(entry, reference, parent));
            if (parent is null)
            {
                return new LedgerTraceView(path, false, problems);
            }

            problems.AddRange(ChainProblems(reference.RunId, above));
            path.Add(parent);
            entry = parent;
        }

        problems.AddRange(LedgerTrace.RootProblems(entry));
        return new LedgerTraceView(path, problems.Count == 0, problems);
    }

    private static IEnumerable<TraceFinding> ChainProblems(string runId, IReadOnlyList<LedgerEntry> entries) =>
        LedgerChain.Verify(entries).Select(p => new TraceFinding(TraceFinding.Chain, $"run {runId}: {p}"));
}
