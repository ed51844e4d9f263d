using GrantFlow.Workflows.Chasing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace GrantFlow.Workflows.Tests;

/// <summary>Starting a fixed instance id: "exists already" is asked of the engine, never read off the exception.</summary>
public class DurableStartsTests
{
    private static Mock<DurableTaskClient> Client(Exception failure, OrchestrationMetadata? after)
    {
        var client = new Mock<DurableTaskClient>(MockBehavior.Loose, "test") { CallBase = true };
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(failure);
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(after);
        return client;
    }

    [Fact]
    public async Task A_start_that_failed_because_the_instance_exists_is_false()
    {
        var running = new OrchestrationMetadata("NoticeChaser", "notice-chaser") { RuntimeStatus = OrchestrationRuntimeStatus.Running };
        var client = Client(new InvalidOperationException("An orchestration with instance ID 'notice-chaser' already exists"), running);

        Assert.False(await DurableStarts.TryScheduleAsync(client.Object, "NoticeChaser", new object(), "notice-chaser"));
    }

    [Fact]
    public async Task A_start_that_failed_for_any_other_reason_is_thrown_whatever_the_exception_type()
    {
        // Before: every InvalidOperationException (and anything named RpcException) was taken for "exists already".
        var client = Client(new InvalidOperationException("the task hub is not reachable"), null);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => DurableStarts.TryScheduleAsync(client.Object, "NoticeChaser", new object(), "notice-chaser"));
        Assert.Contains("not reachable", thrown.Message, StringComparison.Ordinal);
    }
}
