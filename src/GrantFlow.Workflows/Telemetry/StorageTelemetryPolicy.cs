using Azure.Core;
using Azure.Core.Pipeline;

namespace GrantFlow.Workflows.Telemetry;

/// <summary>
/// Counts every storage request that failed or was retried (<see cref="GrantFlowTelemetry.StorageFailures"/>,
/// <see cref="GrantFlowTelemetry.StorageRetries"/>), placed per retry in each storage client's pipeline
/// (<paramref name="service"/>: table, queue or blob).
/// </summary>
public sealed class StorageTelemetryPolicy(string service) : HttpPipelinePolicy
{
    private readonly KeyValuePair<string, object?> _service = new("service", service);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Before(message);
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception) when (Failed(message, "no-answer"))
        {
            throw; // never reached: Failed returns false
        }

        After(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Before(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception) when (Failed(message, "no-answer"))
        {
            throw; // never reached: Failed returns false
        }

        After(message);
    }

    private void Before(HttpMessage message)
    {
        if (message.ProcessingContext.RetryNumber > 0)
        {
            GrantFlowTelemetry.StorageRetries.Add(1, _service);
        }
    }

    private void After(HttpMessage message)
    {
        var status = message.Response.Status;
        if (status is >= 500 or 408 or 429)
        {
            Failed(message, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private bool Failed(HttpMessage message, string status)
    {
        GrantFlowTelemetry.StorageFailures.Add(1, _service, new KeyValuePair<string, object?>("status", status));
        return false;
    }
}
