using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Moq;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Tests;

/// <summary>The orchestration's decisions, with a mocked TaskOrchestrationContext (no engine, no storage).</summary>
public class AllocationRunOrchestratorTests
{
    private const string RunId = "run-1";
    private static readonly DateTime Start = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);
    private static readonly AllocationRunRequest Request = new(RunId, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Loose) { CallBase = true };
    private readonly OrchestrationLogs _logs;
    private readonly List<string> _activities = [];
    private readonly Queue<ApprovalDecision?> _review = new();
    private readonly Queue<ApprovalDecision?> _approval = new();
    private DateTime _now = Start;

    public AllocationRunOrchestratorTests()
    {
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => _now);
        _logs = OrchestrationLogs.For(_context);
        Activity<ComputeOutcome>(ActivityNames.ComputeAllocation, _ => new ComputeOutcome(3_505_000_000, 31, 0));
        Activity<ApprovalDecision?>(ActivityNames.FindDecision, input =>
        {
            var query = (DecisionQuery)input!;
            var queue = query.Stage == ApprovalStages.Review ? _review : _approval;
            return queue.Count > 0 ? queue.Dequeue() : null;
        });
        Activity<LedgerOutcome>(ActivityNames.WriteLedger, _ => new LedgerOutcome(31, 31, 3_505_000_000, "head"));
        Activity<int>(ActivityNames.SendNotices, _ => 31);
        Activity<object>(ActivityNames.SetRunStatus, _ => true);
        Activity<object>(ActivityNames.CompleteRun, _ => true);
        // Nobody signals: the wait's durable timer fires (time moves to it) and the event wait is cancelled.
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken _) =>
            {
                _now = fireAt;
                return Task.CompletedTask;
            });
        _context.Setup(c => c.WaitForExternalEvent<string>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken token) =>
            {
                var pending = new TaskCompletionSource<string>();
                token.Register(() => pending.TrySetCanceled(token));
                return pending.Task;
            });
    }

    private void Activity<T>(string name, Func<object?, T> result) =>
        _context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName n, object? input, TaskOptions? _) =>
            {
                _activities.Add(n.Name);
                return Task.FromResult(result(input));
            });

    private static ApprovalDecision Decision(string stage, string who, bool approved, string? reason = null) =>
        new(RunId, stage, who, approved, reason, Start);

    [Fact]
    public async Task An_approved_run_writes_the_ledger_then_sends_the_notices()
    {
        _review.Enqueue(Decision(ApprovalStages.Review, "wang", true));
        _approval.Enqueue(Decision(ApprovalStages.Approval, "zhao", true));

        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Completed, result.Status);
        Assert.Equal(31, result.NoticesSent);
        var ledger = _activities.IndexOf(ActivityNames.WriteLedger);
        Assert.True(ledger > _activities.IndexOf(ActivityNames.ComputeAllocation));
        Assert.True(_activities.IndexOf(ActivityNames.SendNotices) > ledger);
        _context.Verify(c => c.CallActivityAsync<LedgerOutcome>(
            It.Is<TaskName>(n => n.Name == ActivityNames.WriteLedger),
            It.Is<object?>(o => ((LedgerWrite)o!).Approvals == "review:wang;approval:zhao" && ((LedgerWrite)o!).RecordedAt == Start),
            It.IsAny<TaskOptions?>()));
    }

    [Fact]
    public async Task A_rejection_ends_the_run_with_its_reason_and_never_touches_the_ledger()
    {
        _review.Enqueue(Decision(ApprovalStages.Review, "wang", false, "wrong census year"));

        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Rejected, result.Status);
        Assert.Contains("wrong census year", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ActivityNames.WriteLedger, _activities);
        Assert.DoesNotContain(ActivityNames.SendNotices, _activities);
    }

    [Fact]
    public async Task A_decision_whose_signal_was_lost_is_found_on_the_next_recheck()
    {
        _review.Enqueue(null); // first read: nothing yet; the signal never arrives
        _review.Enqueue(null);
        _review.Enqueue(Decision(ApprovalStages.Review, "wang", true));
        _approval.Enqueue(Decision(ApprovalStages.Approval, "zhao", true));

        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Completed, result.Status);
        Assert.Equal(4, _activities.Count(a => a == ActivityNames.FindDecision));
        Assert.Equal(Start.AddMinutes(1 + 2), _now); // re-checks grow: after 1 minute, then 2 more

    }

    [Fact]
    public async Task No_decision_before_the_deadline_expires_the_run()
    {
        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Expired, result.Status);
        Assert.Equal(Start.AddHours(1), _now);
        Assert.DoesNotContain(ActivityNames.WriteLedger, _activities);
        // re-checks at 1, 2, 4, 8 and 16 minutes, then the 29 left to the deadline: 7 reads, not 61
        Assert.Equal(7, _activities.Count(a => a == ActivityNames.FindDecision));
    }

    [Fact]
    public async Task A_thirty_day_deadline_expires_at_thirty_days_with_a_bounded_history()
    {
        var request = Request with { ApprovalTimeout = TimeSpan.FromDays(30) };
        AllocationRunRequest? continued = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>())).Callback((object? input, bool _) => continued = (AllocationRunRequest)input!);
        var generations = 0;
        var readsPerGeneration = new List<int>();
        AllocationRunResult result;
        do
        {
            continued = null;
            var before = _activities.Count(a => a == ActivityNames.FindDecision);
            result = await AllocationRunOrchestrator.RunAsync(_context.Object, request);
            readsPerGeneration.Add(_activities.Count(a => a == ActivityNames.FindDecision) - before);
            if (continued is not null)
            {
                request = continued;
                generations++;
            }
        }
        while (continued is not null && generations < 100);

        Assert.Equal(RunStatuses.Expired, result.Status);
        Assert.Equal(Start.AddDays(30), _now);
        Assert.All(readsPerGeneration, reads => Assert.InRange(reads, 1, AllocationRunOrchestrator.WakeUpsPerGeneration + 1));
        Assert.Equal(1, _activities.Count(a => a == ActivityNames.ComputeAllocation)); // a new generation does not compute again
        Assert.InRange(_activities.Count(a => a == ActivityNames.FindDecision), 30 * 24 / 2, 30 * 24 + 60); // about one read an hour (and one more per generation)
    }

    [Fact]
    public async Task A_review_that_outlasts_several_generations_is_timed_from_when_it_began()
    {
        // Reviewed after 3 days of a 30-day wait: the orchestration continued as new several times meanwhile.
        var request = Request with { ApprovalTimeout = TimeSpan.FromDays(30) };
        AllocationRunRequest? continued = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>())).Callback((object? input, bool _) => continued = (AllocationRunRequest)input!);
        _context.Setup(c => c.CallActivityAsync<ApprovalDecision?>(It.Is<TaskName>(n => n.Name == ActivityNames.FindDecision), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) => Task.FromResult<ApprovalDecision?>(
                ((DecisionQuery)input!).Stage == ApprovalStages.Approval ? Decision(ApprovalStages.Approval, "zhao", true)
                : _now >= Start.AddDays(3) ? Decision(ApprovalStages.Review, "wang", true) : null));
        AllocationRunResult result;
        var generations = 0;
        do
        {
            continued = null;
            result = await AllocationRunOrchestrator.RunAsync(_context.Object, request);
            request = continued ?? request;
            generations += continued is null ? 0 : 1;
        }
        while (continued is not null && generations < 50);

        Assert.Equal(RunStatuses.Completed, result.Status);
        Assert.True(generations >= 2, $"{generations} generations");
        var review = result.StageTimings.Split("; ").Single(t => t.StartsWith("review=", StringComparison.Ordinal));
        var seconds = double.Parse(review["review=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, TimeSpan.FromDays(3).TotalSeconds, TimeSpan.FromDays(3).TotalSeconds + 3_600);
    }

    [Fact]
    public async Task The_ledger_and_notice_steps_ride_out_a_longer_storage_outage_than_the_other_steps()
    {
        var options = new List<(string Name, TaskOptions? Options)>();
        _context.Setup(c => c.CallActivityAsync<LedgerOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.WriteLedger), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName n, object? _, TaskOptions? o) =>
            {
                options.Add((n.Name, o));
                return Task.FromResult(new LedgerOutcome(31, 31, 3_505_000_000, "head"));
            });
        _review.Enqueue(Decision(ApprovalStages.Review, "wang", true));
        _approval.Enqueue(Decision(ApprovalStages.Approval, "zhao", true));

        await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        var policy = Assert.Single(options).Options!.Retry!.Policy!;
        Assert.True(policy.MaxNumberOfAttempts >= 10, $"{policy.MaxNumberOfAttempts} attempts");
        Assert.True(policy.MaxRetryInterval <= TimeSpan.FromMinutes(2), $"waits up to {policy.MaxRetryInterval} between attempts");
        var waited = Enumerable.Range(0, policy.MaxNumberOfAttempts - 1)
            .Sum(i => Math.Min(policy.FirstRetryInterval.TotalSeconds * Math.Pow(policy.BackoffCoefficient, i), policy.MaxRetryInterval.TotalSeconds));
        Assert.True(waited >= 25 * 60, $"rides out {waited / 60:0} minutes of outage");
    }

    [Fact]
    public async Task An_activity_that_fails_for_good_marks_the_run_failed_with_its_reason()
    {
        _context.Setup(c => c.CallActivityAsync<ComputeOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.ComputeAllocation), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(ActivityNames.ComputeAllocation, 1, new TaskFailureDetails("InvalidDataException", "the stored CSV cannot be read", null, null, null)));

        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Failed, result.Status);
        Assert.Contains("the stored CSV cannot be read", result.Reason, StringComparison.Ordinal);
        _context.Verify(c => c.CallActivityAsync<object>(
            It.Is<TaskName>(n => n.Name == ActivityNames.CompleteRun),
            It.Is<object?>(o => ((RunCompletion)o!).Status == RunStatuses.Failed),
            It.IsAny<TaskOptions?>()));
        var logged = Assert.Single(_logs.Lines);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, logged.Level);
        Assert.Contains($"Run {RunId}: {ActivityNames.ComputeAllocation} failed for good", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_failure_logs_nothing_again()
    {
        _context.SetupGet(c => c.IsReplaying).Returns(true);
        _context.Setup(c => c.CallActivityAsync<ComputeOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.ComputeAllocation), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(ActivityNames.ComputeAllocation, 1, new TaskFailureDetails("InvalidDataException", "the stored CSV cannot be read", null, null, null)));

        var result = await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(RunStatuses.Failed, result.Status);
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public async Task The_custom_status_reports_each_stage()
    {
        var stages = new List<string>();
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? s) => stages.Add(((RunProgress)s!).Stage));
        _review.Enqueue(Decision(ApprovalStages.Review, "wang", true));
        _approval.Enqueue(Decision(ApprovalStages.Approval, "zhao", true));

        await AllocationRunOrchestrator.RunAsync(_context.Object, Request);

        Assert.Equal(
            [RunStatuses.Computing, RunStatuses.AwaitingReview, RunStatuses.AwaitingApproval, RunStatuses.WritingLedger, RunStatuses.SendingNotices, RunStatuses.Completed],
            stages);
    }
}
