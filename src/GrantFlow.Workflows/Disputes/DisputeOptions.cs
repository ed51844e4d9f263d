namespace GrantFlow.Workflows.Disputes;

/// <summary>How long after a notice is issued a province may dispute it (configuration section <c>GrantFlow:Disputes</c>).</summary>
public sealed class DisputeOptions
{
    public const string SectionName = "GrantFlow:Disputes";

    /// <summary>The window of every program without a window of its own.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(15);

    /// <summary>Windows by program id (e.g. "resident-insurance": "30.00:00:00").</summary>
    public Dictionary<string, TimeSpan> ProgramWindows { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan WindowOf(string program) => ProgramWindows.TryGetValue(program, out var window) ? window : Window;
}
