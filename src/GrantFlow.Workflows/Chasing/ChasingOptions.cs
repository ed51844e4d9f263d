namespace GrantFlow.Workflows.Chasing;

/// <summary>When unacknowledged notices are chased (configuration section <c>GrantFlow:Chasing</c>).</summary>
public sealed class ChasingOptions
{
    public const string SectionName = "GrantFlow:Chasing";

    /// <summary>A notice unacknowledged this long after it was sent is chased, and chased again every as long.</summary>
    public TimeSpan ChaseAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>From this long after it was sent, a chase is an escalation (level 2).</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A notice not passed down (no completed pass-down) this long after it was sent gets a reminder.</summary>
    public TimeSpan PassDownReminderAfter { get; set; } = TimeSpan.FromDays(20);

    /// <summary>The Budget Law's deadline to pass a grant down: past it, the notice is flagged overdue.</summary>
    public TimeSpan PassDownDeadline { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the chaser looks at the open notices.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long one sweep starts new reminders: what is left is chased by the next sweep, so a sweep ends well within
    /// its activity's lease and a host killed in the middle loses little.
    /// </summary>
    public TimeSpan SweepBudget { get; set; } = TimeSpan.FromSeconds(30);
}
