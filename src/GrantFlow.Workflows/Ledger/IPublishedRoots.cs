namespace GrantFlow.Workflows.Ledger;

/// <summary>
/// What a run's publication says of its root, for verification (the disclosure feature implements it; the ledger
/// names only this, so the features use each other without a cycle). Null when the run is not published.
/// </summary>
public interface IPublishedRoots
{
    /// <summary>The root the published release states and the root its published lines hash to.</summary>
    Task<(string Stated, string Computed)?> FindAsync(string runId, CancellationToken cancellationToken = default);
}
