namespace GrantFlow.Workflows.Runs;

/// <summary>Activity names, shared by the Durable Task worker registration and the Functions triggers.</summary>
public static class ActivityNames
{
    public const string ComputeAllocation = nameof(ComputeAllocation);
    public const string FindDecision = nameof(FindDecision);
    public const string SetRunStatus = nameof(SetRunStatus);

    /// <summary>Version 2: a stage's status written and the stage's decision, if recorded already, read in one round trip.</summary>
    public const string EnterStage = nameof(EnterStage);
    public const string WriteLedger = nameof(WriteLedger);
    public const string SendNotices = nameof(SendNotices);
    public const string CompleteRun = nameof(CompleteRun);

    /// <summary>Version 3: the released run published as open data (Disclosure).</summary>
    public const string PublishRelease = nameof(PublishRelease);
}
