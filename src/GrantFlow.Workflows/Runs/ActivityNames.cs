namespace GrantFlow.Workflows.Runs;

/// <summary>Activity names, shared by the Durable Task worker registration and the Functions triggers.</summary>
public static class ActivityNames
{
    public const string ComputeAllocation = nameof(ComputeAllocation);
    public const string FindDecision = nameof(FindDecision);
    public const string SetRunStatus = nameof(SetRunStatus);
    public const string WriteLedger = nameof(WriteLedger);
    public const string SendNotices = nameof(SendNotices);
    public const string CompleteRun = nameof(CompleteRun);
}
