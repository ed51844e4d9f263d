using GrantFlow.Domain.Approvals;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Moq;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Tests;

/// <summary>The eternal chaser: a sweep, a timer, continue as new; a failed sweep does not stop it.</summary>
public class NoticeChaserOrchestratorTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_generation_sweeps_waits_the_interval_and_continues_as_new(bool sweepFails)
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Loose) { CallBase = true };
        var logs = OrchestrationLogs.For(context);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        var sweep = context.Setup(c => c.CallActivityAsync<GrantFlow.Workflows.Chasing.ChaseSweep>(It.Is<TaskName>(n => n.Name == GrantFlow.Workflows.Chasing.NoticeChaserOrchestrator.SweepActivity), It.Is<object?>(o => (DateTimeOffset)o! == new DateTimeOffset(Now)), It.IsAny<TaskOptions?>()));
        if (sweepFails)
        {
            sweep.ThrowsAsync(new TaskFailedException("ChaseNotices", 1, new TaskFailureDetails("IOException", "storage down", null, null, null)));
        }
        else
        {
            sweep.ReturnsAsync(new GrantFlow.Workflows.Chasing.ChaseSweep(31, 3, 1));
        }

        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var request = new GrantFlow.Workflows.Chasing.NoticeChaserRequest(TimeSpan.FromHours(1));

        var result = await GrantFlow.Workflows.Chasing.NoticeChaserOrchestrator.RunAsync(context.Object, request);

        Assert.Equal(sweepFails ? 0 : 3, result.Chased);
        context.Verify(c => c.CreateTimer(Now.AddHours(1), It.IsAny<CancellationToken>()), Times.Once);
        context.Verify(c => c.ContinueAsNew(request, It.IsAny<bool>()), Times.Once);
        Assert.Equal(sweepFails ? ["The chaser's sweep failed; it is tried again in 01:00:00: storage down"] : [], logs.Lines.Select(l => l.Message));
    }
}
