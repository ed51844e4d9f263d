using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Approvals;

namespace GrantFlow.Contracts;

/// <summary>A page of runs, newest first, and the token of the next page (null on the last).</summary>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, string? ContinuationToken);

/// <summary>A run as the API shows it: its record, its allocation and its decisions.</summary>
/// <remarks><see cref="Progress"/>: where the orchestration is (stage and detail), as an object; null when no instance exists.</remarks>
public sealed record RunDetail(RunRecord Run, IReadOnlyList<ProvinceAllocation> Allocations, IReadOnlyList<ApprovalDecision> Decisions, RunProgress? Progress);

/// <summary>The run's custom status: where it is and what it has done so far.</summary>
public sealed record RunProgress(string Stage, string Detail);

/// <summary>What became of an approver's decision.</summary>
public enum DecisionOutcome
{
    Recorded,
    RunNotFound,
    Forbidden,
    Conflict,
}

/// <summary>The answer to POST /api/runs/{runId}/decisions: the outcome and what it means.</summary>
public sealed record DecisionResult(DecisionOutcome Outcome, string Message)
{
    /// <summary>Why a decision was refused, as a stable code (<see cref="ProblemCodes"/>); null when recorded.</summary>
    public string? Code { get; init; }

    public IReadOnlyDictionary<string, string>? Args { get; init; }
}
