using GrantFlow.Workflows.Runs;
using Microsoft.DurableTask;

namespace GrantFlow.Workflows.Disclosure;

/// <summary>The run's last step before it completes (version 3): its release published as open data; as the Functions app's trigger does.</summary>
public sealed class PublishReleaseActivity(ReleasePublisher publisher) : TaskActivity<PublicationRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PublicationRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = Telemetry.GrantFlowTelemetry.StartStep("publish release", input.RunId);
        await publisher.PublishAsync(input.RunId, new DateTimeOffset(input.PublishedAt, TimeSpan.Zero));
        return true;
    }
}
