using GrantFlow.Workflows.Chasing;
using GrantFlow.Workflows.Disputes;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrantFlow.Workflows.Recovery;

/// <summary>
/// What a host does on start-up (the Functions app on a timer) so that nothing a crash or a lost task hub interrupted
/// stays that way: runs brought back under an orchestration or failed with their reason (<see cref="RunService.RecoverAsync"/>),
/// claims of runs that never came to exist freed, upholds completed with their one correction
/// (<see cref="DisputeService.CompleteInterruptedUpholdsAsync"/>), the chaser started, and, when it had to be, the
/// pass-down deadlines whose orchestrations were lost with it scheduled again. Idempotent.
/// </summary>
public static class RecoverySweep
{
    /// <summary>Runs the sweep over the given Durable client; returns what it did, one line each (nothing when all was well).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IServiceProvider services, DurableTaskClient client, TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        var runs = RunService.Create(services, client);
        var lines = (await runs.RecoverAsync(olderThan, cancellationToken)).Lines().ToList();
        var upholds = await services.GetRequiredService<DisputeService>().CompleteInterruptedUpholdsAsync(runs, olderThan, cancellationToken);
        if (upholds.Count > 0)
        {
            lines.Add($"Completed {upholds.Count} upheld dispute(s) a crash interrupted, each with its one correction run: {string.Join(", ", upholds)}");
        }

        if (await NoticeChaserStarter.EnsureRunningAsync(client, services.GetRequiredService<IOptions<ChasingOptions>>(), cancellationToken))
        {
            lines.Add("Started the notice chaser.");

            // No chaser: a first start, or the task hub lost with every deadline's timer in it.
            var deadlines = await services.GetRequiredService<PassDownDeadlines>().RescheduleLostAsync(client, cancellationToken);
            if (deadlines.Count > 0)
            {
                lines.Add($"Scheduled again {deadlines.Count} pass-down deadline(s) whose orchestration was gone (the task hub lost): {string.Join(", ", deadlines)}");
            }
        }

        return lines;
    }
}
