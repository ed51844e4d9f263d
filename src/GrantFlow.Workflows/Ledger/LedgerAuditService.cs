using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Storage;

namespace GrantFlow.Workflows.Ledger;

/// <summary>Read-only ledger checks for auditors: a run, a fiscal year, or everything.</summary>
public sealed class LedgerAuditService(RunRepository runs, LedgerRepository ledger)
{
    public async Task<LedgerVerification?> VerifyRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await runs.FindAsync(runId, cancellationToken);
        return run is null ? null : await VerifyAsync(run, cancellationToken);
    }

    /// <summary>Verifies every run that wrote a ledger (optionally of one fiscal year).</summary>
    public async Task<IReadOnlyList<LedgerVerification>> VerifyAllAsync(int? fiscalYear = null, CancellationToken cancellationToken = default)
    {
        var results = new List<LedgerVerification>();
        foreach (var run in (await runs.ListAsync(cancellationToken)).Where(r => r.LedgerHeadHash is not null && (fiscalYear is null || r.FiscalYear == fiscalYear)))
        {
            results.Add(await VerifyAsync(run, cancellationToken));
        }

        return results.OrderBy(r => r.RunId, StringComparer.Ordinal).ToList();
    }

    private async Task<LedgerVerification> VerifyAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var anchor = run.LedgerHeadHash is { } head ? new LedgerAnchor(head, run.LedgerEntries ?? 0, run.Kind == RunKinds.Advance ? run.EnvelopeYuan : null) : null;
        return LedgerVerifier.Verify(run.RunId, await ledger.ReadStoredAsync(run.RunId, cancellationToken), anchor);
    }
}
