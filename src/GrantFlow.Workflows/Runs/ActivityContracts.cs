namespace GrantFlow.Workflows.Runs;

/// <summary>Activities pass references (the run id), never the province data itself.</summary>
public sealed record RunReference(string RunId);

public sealed record ComputeOutcome(long TotalYuan, int ProvinceCount, int FloorBoundCount);

public sealed record DecisionQuery(string RunId, string Stage);

public sealed record LedgerWrite(string RunId, string Approvals, DateTimeOffset RecordedAt);

public sealed record LedgerOutcome(int Entries, int Written, long TotalYuan, string HeadHash);

public sealed record NoticeDispatch(string RunId, DateTimeOffset IssuedAt);

public sealed record StageChange(string RunId, string Status, string? Reason);

public sealed record RunCompletion(string RunId, string Status, string? Reason, string StageTimings, DateTimeOffset CompletedAt);
