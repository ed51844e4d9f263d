namespace GrantFlow.Workflows.Runs;

/// <summary>A run that may not start given what already exists (e.g. a year settled twice, or with no advance).</summary>
public sealed class RunConflictException : Exception
{
    public RunConflictException()
    {
    }

    public RunConflictException(string message)
        : base(message)
    {
    }

    public RunConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
