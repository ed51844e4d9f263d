namespace GrantFlow.Workflows.Ledger;

/// <summary>The run records a ledger is checked against (the runs feature keeps them; the ledger only reads).</summary>
public interface IRunRecords
{
    Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The runs of a fiscal year, or every run (null), read through the runs' index.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(int? fiscalYear, CancellationToken cancellationToken = default);
}
