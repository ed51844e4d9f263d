using GrantFlow.Contracts;
using GrantFlow.Domain.Approvals;

namespace GrantFlow.Console.Services;

// The API's answers are the contracts' own types (GrantFlow.Contracts); these are what the pages ask of them.
public static class RunRecordExtensions
{
    extension(RunRecord run)
    {
        public bool Ended => RunStatuses.IsTerminal(run.Status);

        public string? AwaitingStage => run.Status switch
        {
            RunStatuses.AwaitingReview => ApprovalStages.Review,
            RunStatuses.AwaitingApproval => ApprovalStages.Approval,
            _ => null,
        };
    }
}

public static class InboxNoticeExtensions
{
    extension(InboxNotice notice)
    {
        public bool CanPassDown => notice.Kind is RunKinds.Advance or RunKinds.Remainder;
    }
}
