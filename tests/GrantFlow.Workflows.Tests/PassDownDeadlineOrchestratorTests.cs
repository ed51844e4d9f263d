using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Moq;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Tests;

/// <summary>A pass-down deadline: timers to the absolute reminder and due times, a look at each, an end when passed down.</summary>
public class PassDownDeadlineOrchestratorTests
{
    private static readonly DateTime Sent = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(true, true, "overdue", 2)]
    [InlineData(false, true, "passed-down", 1)]
    [InlineData(true, false, "passed-down", 2)]
    public async Task It_waits_for_the_reminder_then_the_deadline_and_stops_once_passed_down(bool pendingAtReminder, bool pendingAtDeadline, string expected, int steps)
    {
        var now = Sent;
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Loose) { CallBase = true };
        var logs = OrchestrationLogs.For(context);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => now);
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Callback<DateTime, CancellationToken>((at, _) => now = at).Returns(Task.CompletedTask);
        var seen = new List<GrantFlow.Workflows.Chasing.PassDownDeadlineStep>();
        context.Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == GrantFlow.Workflows.Chasing.PassDownDeadlineOrchestrator.StepActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => seen.Add((GrantFlow.Workflows.Chasing.PassDownDeadlineStep)input!))
            .ReturnsAsync(() => seen.Count == 1 ? pendingAtReminder : pendingAtDeadline);
        var request = new GrantFlow.Workflows.Chasing.PassDownDeadlineRequest("44", "GF-2026-service-capacity-44-0123abcd", Sent.AddDays(20), Sent.AddDays(30));

        var result = await GrantFlow.Workflows.Chasing.PassDownDeadlineOrchestrator.RunAsync(context.Object, request);

        Assert.Equal(expected, result);
        Assert.Equal(steps, seen.Count);
        Assert.Equal(("reminder", new DateTimeOffset(Sent.AddDays(20))), (seen[0].Step, seen[0].At));
        context.Verify(c => c.CreateTimer(Sent.AddDays(20), It.IsAny<CancellationToken>()), Times.Once);
        context.Verify(c => c.CreateTimer(Sent.AddDays(30), It.IsAny<CancellationToken>()), steps == 2 ? Times.Once() : Times.Never());        Assert.Empty(logs.Lines); // a deadline met or flagged is the activity's to log
    }

    [Fact]
    public async Task A_deadline_scheduled_late_does_not_wait_again_and_a_step_failing_for_good_ends_it_with_the_reason()
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Loose) { CallBase = true };
        var logs = OrchestrationLogs.For(context);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Sent.AddDays(40));
        context.Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException("FollowPassDownDeadline", 1, new TaskFailureDetails("IOException", "storage down", null, null, null)));
        var request = new GrantFlow.Workflows.Chasing.PassDownDeadlineRequest("44", "GF-2026-service-capacity-44-0123abcd", Sent.AddDays(20), Sent.AddDays(30));

        var result = await GrantFlow.Workflows.Chasing.PassDownDeadlineOrchestrator.RunAsync(context.Object, request);

        Assert.Equal("failed at reminder: storage down", result);
        context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(["The pass-down deadline of GF-2026-service-capacity-44-0123abcd (44) failed at its reminder: storage down"], logs.Lines.Select(l => l.Message));
    }
}
