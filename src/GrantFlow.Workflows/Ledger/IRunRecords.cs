namespace GrantFlow.Workflows.Ledger;

/// <summary>The run records a ledger is checked against (the runs feature keeps them; the ledger only reads).</summary>
public interface IRunRecords
{
    Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken = default);
}
