namespace GrantFlow.Workflows.Runs;

/// <summary>Activities pass references (the run id), never the province data itself.</summary>
public sealed record RunReference(string RunId);

public sealed record ComputeOutcome(long TotalYuan, int ProvinceCount, int FloorBoundCount);

public sealed record DecisionQuery(string RunId, string Stage);

public sealed record LedgerWrite(string RunId, string Approvals, DateTimeOffset RecordedAt);

/// <summary><see cref="Refusal"/>: why nothing was written (the approvals the run carries are not the ones recorded).</summary>
public sealed record LedgerOutcome(int Entries, int Written, long TotalYuan, string HeadHash, string? Refusal = null);

public sealed record NoticeDispatch(string RunId, DateTimeOffset IssuedAt);

public sealed record StageChange(string RunId, string Status, string? Reason);

/// <summary>A run entering an approval stage: its status, and which stage's decision to look for.</summary>
public sealed record StageEntry(string RunId, string Status, string Stage);

/// <remarks><see cref="PublicationFailure"/>: why the release could not be published (the run is released all the same).</remarks>
public sealed record RunCompletion(string RunId, string Status, string? Reason, string StageTimings, DateTimeOffset CompletedAt, string? PublicationFailure = null);

/// <summary>Publish a released run as open data, as of the orchestration's time (a retry publishes the same document).</summary>
public sealed record PublicationRequest(string RunId, DateTime PublishedAt);
