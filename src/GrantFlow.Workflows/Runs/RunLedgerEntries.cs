using GrantFlow.Domain.Ledger;
using GrantFlow.Workflows.Ledger;

namespace GrantFlow.Workflows.Runs;

/// <summary>Loads what a run's entries are built from (its allocation, figures, the entry it corrects) and builds them by the domain's rules (<see cref="RunEntries"/>).</summary>
public sealed class RunLedgerEntries(RunRepository runs, AllocationRepository allocations, LedgerRepository ledger)
{
    /// <summary>The run's entries by its kind, unchained (sequence and hashes are given when they are appended).</summary>
    public async Task<IEnumerable<LedgerEntry>> BuildAsync(RunRecord record, LedgerWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(write);
        var basis = new RunEntryBasis(write.RunId, record.Program, record.FiscalYear, write.Approvals, write.RecordedAt);
        if (record.Kind == RunKinds.Correction)
        {
            var request = CorrectionRequests.Parse(await runs.LoadParametersAsync(record.RunId, cancellationToken));
            var original = (await ledger.ReadRunAsync(request.CorrectsRunId, cancellationToken)).Single(e => e.ProvinceCode == request.ProvinceCode);
            var row = (await allocations.LoadAsync(write.RunId, cancellationToken)).Single();
            return RunEntries.Correction(basis, row, original, request.AmountYuan, request.Reason);
        }

        var rows = await allocations.LoadAsync(write.RunId, cancellationToken);
        return record.Kind switch
        {
            RunKinds.Settlement => RunEntries.Settlement(basis, rows, await allocations.LoadSettlementFiguresAsync(write.RunId, cancellationToken)),
            RunKinds.PassDown => RunEntries.PassDown(basis, rows, record.PassesDown!, record.Owner!, record.PassesDownNotice!, record.RetentionYuan ?? 0, record.RetentionShare, record.EnvelopeYuan),
            RunKinds.Remainder => RunEntries.Releases(basis, rows, LedgerEntryKinds.Remainder),
            _ => RunEntries.Releases(basis, rows),
        };
    }
}
