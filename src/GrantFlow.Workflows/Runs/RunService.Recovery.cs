using Microsoft.DurableTask.Client;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Runs;

/// <summary>The recovery of runs a crash or a lost task hub left without their orchestration.</summary>
public sealed partial class RunService
{
    /// <summary>
    /// Brings every run that is not in an end state back under an orchestration (older than
    /// <paramref name="olderThan"/>): a run stored but never scheduled (a crash between the two), or one whose
    /// orchestration is gone (the task hub's tables and queues were lost), is started again from its record with the
    /// run id as instance id (every step is idempotent and decisions are read from the decisions table, so what was
    /// computed, decided, written or sent is found, not repeated); a run whose orchestration ended without ending the
    /// run (terminated, failed outright) is marked failed, saying why. Hosts call it on start-up, the Functions app on
    /// a timer. A run whose orchestration is alive is left alone.
    /// </summary>
    public async Task<RunRecovery> RecoverAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var scheduled = new List<string>();
        var restarted = new List<string>();
        var failed = new List<string>();
        var cutoff = time.GetUtcNow() - olderThan;
        await runs.BackfillIndexAsync(cancellationToken);
        foreach (var (found, key) in await runs.ListOpenAsync(cancellationToken))
        {
            if (found is not { } run)
            {
                if (RunIndex.StartedAt(key) <= time.GetUtcNow() - StaleClaimAge)
                {
                    await runs.Index.RemoveAsync(RunIndex.OpenRuns, key, cancellationToken); // a start that never stored its record
                }

                continue;
            }

            if (RunStatuses.IsTerminal(run.Status))
            {
                await runs.Index.CloseAsync(run, cancellationToken); // ended, and the index was not told (a crash between the two)
                continue;
            }

            if (run.StartedAt > cutoff)
            {
                continue;
            }

            var instance = await client.GetInstanceAsync(run.RunId, cancellationToken);
            if (instance is null)
            {
                await ScheduleAsync(run, cancellationToken);
                (run.Status == RunStatuses.Started ? scheduled : restarted).Add(run.RunId);
            }
            else if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Completed
                && await runs.FindAsync(run.RunId, cancellationToken) is { } now && !RunStatuses.IsTerminal(now.Status))
            {
                var reason = $"the run's orchestration ended {instance.RuntimeStatus.ToString().ToLowerInvariant()} while the run was {now.Status}"
                    + (instance.FailureDetails is { } details ? $": {details.ErrorType}: {details.ErrorMessage}" : string.Empty);
                await completion.CompleteAsync(new Runs.RunCompletion(run.RunId, RunStatuses.Failed, reason.Length > 1_000 ? reason[..1_000] : reason, now.StageTimings ?? string.Empty, time.GetUtcNow()), cancellationToken);
                failed.Add(run.RunId);
            }
        }

        var freed = new List<string>();
        foreach (var (claim, holder, since, key) in await runs.Index.PendingClaimsAsync(cancellationToken))
        {
            if (since > time.GetUtcNow() - StaleClaimAge)
            {
                continue; // its start may still be storing the run
            }

            if (await runs.FindAsync(holder, cancellationToken) is null && await runs.ClaimHolderAsync(claim, cancellationToken) == holder)
            {
                await runs.ReleaseClaimAsync(claim, holder, cancellationToken);
                freed.Add(claim);
            }

            await runs.Index.RemoveAsync(RunIndex.PendingClaims, key, cancellationToken);
        }

        return new RunRecovery(scheduled, restarted, failed, freed);
    }

    /// <summary>
    /// How old a claim must be before the sweep frees it when its run never came to exist (a start that failed after
    /// claiming, with the storage unable to say whether the record was written): longer than any start can take.
    /// </summary>
    public static readonly TimeSpan StaleClaimAge = TimeSpan.FromMinutes(15);
}
