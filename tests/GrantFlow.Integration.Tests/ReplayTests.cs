using DurableTask.AzureStorage;
using Google.Protobuf;
using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// Replays the orchestration from the history the real engine recorded for a completed run. Non-deterministic
/// code (a clock, a GUID, a changed activity order) makes the replay fail, which the second test shows.
/// </summary>
public abstract class ReplayTests(EngineFixture fixture)
{
    private async Task<(string RunId, List<P.HistoryEvent> History, string? Output)> CompletedRunAsync()
    {
        var run = await fixture.Runs.StartAsync(fixture.ParametersFor("service-capacity"), EngineFixture.ProvincesCsv, "official.li", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        var done = await fixture.ApproveAndCompleteAsync(run.RunId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        // The history as the Azure Storage provider recorded it, converted to the gRPC protocol's events.
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "GrantFlowHub",
            StorageAccountClientProvider = new StorageAccountClientProvider(fixture.StorageConnectionString),
        });
        var state = await service.GetOrchestrationStateAsync(run.RunId, allExecutions: false);
        var json = await service.GetOrchestrationHistoryAsync(run.RunId, state[0].OrchestrationInstance.ExecutionId);
        var history = Newtonsoft.Json.Linq.JArray.Parse(json)
            .Cast<Newtonsoft.Json.Linq.JObject>()
            .Select(e =>
            {
                // EventType names the concrete class: TaskScheduled -> DurableTask.Core.History.TaskScheduledEvent.
                var kind = Enum.Parse<DurableTask.Core.History.EventType>(e["EventType"]!.ToString());
                var type = typeof(DurableTask.Core.History.HistoryEvent).Assembly.GetType($"DurableTask.Core.History.{kind}Event", throwOnError: true)!;
                return ProtobufUtils.ToHistoryEventProto((DurableTask.Core.History.HistoryEvent)e.ToObject(type)!);
            })
            .ToList();

        return (run.RunId, history, done.SerializedOutput);
    }

    private static P.OrchestratorResponse Replay(string runId, IEnumerable<P.HistoryEvent> history, Func<TaskOrchestrationContext, AllocationRunRequest, Task<AllocationRunResult>> orchestrator, IServiceProvider services)
    {
        var request = new P.OrchestratorRequest { InstanceId = runId };
        request.PastEvents.AddRange(history.Where(e => e.EventTypeCase != P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted));
        var encoded = GrpcOrchestrationRunner.LoadAndRun<AllocationRunRequest, AllocationRunResult>(
            Convert.ToBase64String(request.ToByteArray()),
            async (context, input) => await orchestrator(context, input!),
            services);
        return P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(encoded));
    }

    [Fact]
    public async Task The_recorded_history_of_a_run_replays_to_the_same_result()
    {
        var (runId, history, output) = await CompletedRunAsync();
        Assert.Contains(history, e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.TaskScheduled && e.TaskScheduled.Name == ActivityNames.WriteLedger);

        var response = Replay(runId, history, (context, input) => AllocationRunOrchestrator.RunAsync(context, input), fixture.Engine.Services);

        var complete = Assert.Single(response.Actions, a => a.OrchestratorActionTypeCase == P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration).CompleteOrchestration;
        Assert.Equal(P.OrchestrationStatus.Completed, complete.OrchestrationStatus);
        Assert.Null(complete.FailureDetails);
        Assert.Equal(output, complete.Result);
        Assert.DoesNotContain(response.Actions, a => a.OrchestratorActionTypeCase == P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask);
    }

    [Fact]
    public async Task A_changed_orchestration_fails_the_replay()
    {
        var (runId, history, _) = await CompletedRunAsync();

        // The same orchestration with one extra activity call first: the recorded history no longer fits.
        var response = Replay(
            runId,
            history,
            async (context, input) =>
            {
                await context.CallActivityAsync<bool>(ActivityNames.SetRunStatus, new StageChange(input.RunId, "changed", null));
                return await AllocationRunOrchestrator.RunAsync(context, input);
            },
            fixture.Engine.Services);

        var complete = Assert.Single(response.Actions, a => a.OrchestratorActionTypeCase == P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration).CompleteOrchestration;
        Assert.Equal(P.OrchestrationStatus.Failed, complete.OrchestrationStatus);
        Assert.Contains("Non-Deterministic", complete.FailureDetails.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }
}
