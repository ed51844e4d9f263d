namespace GrantFlow.Domain.Approvals;

/// <summary>The two approval stages, in order.</summary>
public static class ApprovalStages
{
    public const string Review = "review";
    public const string Approval = "approval";

    public static readonly IReadOnlyList<string> InOrder = [Review, Approval];

    public static bool IsKnown(string stage) => stage is Review or Approval;
}

/// <summary>A recorded decision on one stage of a run.</summary>
public sealed record ApprovalDecision(string RunId, string Stage, string DecidedBy, bool Approved, string? Reason, DateTimeOffset DecidedAt);

/// <summary>Segregation of duties: who may decide a stage.</summary>
public static class ApprovalRules
{
    /// <summary>Why <paramref name="user"/> may not decide <paramref name="stage"/>, or null when they may.</summary>
    public static string? RefusalReason(string stage, string user, string initiator, string? reviewer)
    {
        if (!ApprovalStages.IsKnown(stage))
        {
            return $"unknown stage '{stage}'; expected '{ApprovalStages.Review}' or '{ApprovalStages.Approval}'.";
        }

        if (string.Equals(user, initiator, StringComparison.OrdinalIgnoreCase))
        {
            return $"{user} started this run and may not {stage} it (segregation of duties).";
        }

        if (stage == ApprovalStages.Approval && string.Equals(user, reviewer, StringComparison.OrdinalIgnoreCase))
        {
            return $"{user} reviewed this run and may not also approve it (two different people are required).";
        }

        return null;
    }
}
