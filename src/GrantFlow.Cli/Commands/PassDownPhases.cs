using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GrantFlow.Workflows.Runs;

namespace GrantFlow.Cli.Commands;

/// <summary>
/// Where each pass-down run's time goes, seen from outside as an official would: from its start to its review being
/// open, from each decision recorded to the run's next stage (what a decision waits for inside the engine), and from
/// the approval to the run completed (ledger and notices). The stage is read from the run's record every 50 ms (a
/// point read), a load the figures include.
/// </summary>
public sealed class PassDownPhases
{
    public const string ToReview = "start -> review open";
    public const string ReviewToNext = "review recorded -> awaiting approval";
    public const string ApprovalToNext = "approval recorded -> writing the ledger";
    public const string ApprovalToDone = "approval recorded -> completed";

    private readonly ConcurrentDictionary<string, ConcurrentBag<TimeSpan>> _phases = new(StringComparer.Ordinal);

    public void Add(string phase, TimeSpan elapsed) => _phases.GetOrAdd(phase, _ => []).Add(elapsed);

    /// <summary>
    /// Waits until the run's record has left <paramref name="stage"/> (a point read every 50 ms; or two minutes passed:
    /// the figure then says so by its size, and the run goes on being driven); the time it took from <paramref name="since"/>.
    /// </summary>
    public static async Task<TimeSpan> UntilLeftAsync(RunRepository runs, string runId, string stage, long since, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetElapsedTime(since) < TimeSpan.FromMinutes(2)
            && (await runs.FindAsync(runId, cancellationToken))?.Status == stage)
        {
            await Task.Delay(50, cancellationToken);
        }

        return Stopwatch.GetElapsedTime(since);
    }

    /// <summary>Each phase's median, 99th percentile and maximum, in the order they happen.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var phase in new[] { ToReview, ReviewToNext, ApprovalToNext, ApprovalToDone })
        {
            if (_phases.TryGetValue(phase, out var bag) && !bag.IsEmpty)
            {
                var sorted = bag.Select(t => t.TotalSeconds).Order().ToArray();
                double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
                yield return string.Create(CultureInfo.InvariantCulture, $"{phase}: p50 {At(0.50):N2} s, p99 {At(0.99):N2} s, max {sorted[^1]:N2} s ({sorted.Length} runs)");
            }
        }
    }
}
