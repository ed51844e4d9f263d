using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GrantFlow.Workflows.Telemetry;

/// <summary>
/// What GrantFlow tells an operator, through the .NET diagnostics APIs OpenTelemetry listens to (both hosts export
/// them: the local host to the console or OTLP, the Functions app to Azure Monitor). Spans: each step of a run
/// (<c>grantflow.run_id</c>), each notice sent (<c>grantflow.notice_number</c>). Metrics: runs ended by kind and
/// status, notices sent and acknowledged, chases sent and escalated, pass-downs overdue, storage requests that
/// failed or were retried by service and status, orchestration messages the local engine dropped.
/// </summary>
public static class GrantFlowTelemetry
{
    public const string Name = "GrantFlow";

    public const string RunIdTag = "grantflow.run_id";
    public const string NoticeNumberTag = "grantflow.notice_number";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Runs that reached an end state, by kind and status (completed, failed, rejected, expired).</summary>
    public static readonly Counter<long> RunsEnded = Meter.CreateCounter<long>("grantflow.runs.ended", description: "Runs that reached an end state, by kind and status.");

    /// <summary>Messages put on a recipient's queue (notices and reminders), by type.</summary>
    public static readonly Counter<long> NoticesSent = Meter.CreateCounter<long>("grantflow.notices.sent", description: "Messages put on recipients' queues, by type (notice, reminder).");

    /// <summary>Notices acknowledged by their recipients (first acknowledgement only).</summary>
    public static readonly Counter<long> NoticesAcknowledged = Meter.CreateCounter<long>("grantflow.notices.acknowledged", description: "Notices acknowledged by their recipients.");

    /// <summary>Reminders of unacknowledged notices, by level (1 reminder, 2 escalation).</summary>
    public static readonly Counter<long> ChasesSent = Meter.CreateCounter<long>("grantflow.chases.sent", description: "Reminders of unacknowledged notices, by level (2 = escalated).");

    /// <summary>Notices flagged overdue for their pass-down to the counties.</summary>
    public static readonly Counter<long> PassDownsOverdue = Meter.CreateCounter<long>("grantflow.passdowns.overdue", description: "Notices past their pass-down deadline.");

    /// <summary>Storage requests that failed (5xx, 408, 429, or no answer), by service and status.</summary>
    public static readonly Counter<long> StorageFailures = Meter.CreateCounter<long>("grantflow.storage.failures", description: "Storage requests that failed (5xx, 408, 429, or no answer), by service and status.");

    /// <summary>Storage requests the Azure SDK sent again (its own retries), by service.</summary>
    public static readonly Counter<long> StorageRetries = Meter.CreateCounter<long>("grantflow.storage.retries", description: "Storage requests retried by the Azure SDK, by service.");

    /// <summary>Messages the local engine took out of an orchestration's work item (a redelivered start, another execution's), by event type.</summary>
    public static readonly Counter<long> EngineMessagesDropped = Meter.CreateCounter<long>("grantflow.engine.messages.dropped", description: "Orchestration messages dropped before they reached an orchestrator (redelivered starts, other executions'), by event type.");

    /// <summary>A span for one step of a run, tagged with its id.</summary>
    public static Activity? StartStep(string step, string runId)
    {
        var activity = Source.StartActivity("grantflow " + step);
        activity?.SetTag(RunIdTag, runId);
        return activity;
    }
}
