namespace GrantFlow.Contracts;

/// <summary>A run as stored in the runs table (one row, partition = run id), and as the API shows it.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    /// <summary><see cref="RunKinds.Advance"/> or <see cref="RunKinds.Settlement"/>.</summary>
    public string Kind { get; init; } = RunKinds.Advance;
    public required string Program { get; init; }
    public required int FiscalYear { get; init; }
    public required long EnvelopeYuan { get; init; }
    public required string StartedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public long? TotalYuan { get; init; }
    public int? ProvinceCount { get; init; }
    public int? LedgerEntries { get; init; }
    public string? LedgerHeadHash { get; init; }
    public int? NoticesSent { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Stage durations, e.g. "compute=0.4s; review=12.0s; ...".</summary>
    public string? StageTimings { get; init; }

    /// <summary>Provinces (a central run) or county-level divisions.</summary>
    public Domain.Validation.RecipientLevel Recipients { get; init; } = Domain.Validation.RecipientLevel.Province;

    /// <summary>How long each approval stage may wait (kept so a run stored but never scheduled can be scheduled later).</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The first re-check interval of the decisions table while waiting.</summary>
    public TimeSpan DecisionRecheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A pass-down: the province that passes its grant down (it and its own approvers act on the run).</summary>
    public string? Owner { get; init; }

    /// <summary>A pass-down: the central notice passed down.</summary>
    public string? PassesDownNotice { get; init; }

    /// <summary>A pass-down: the central ledger entry passed down, "{run id}/{sequence}:{hash}".</summary>
    public string? PassesDown { get; init; }

    /// <summary>A pass-down: the yuan the province keeps (recorded as a retention entry); the counties share the rest.</summary>
    public long? RetentionYuan { get; init; }

    /// <summary>A pass-down: the retention share asked for (0 to 0.10).</summary>
    public decimal? RetentionShare { get; init; }

    /// <summary>
    /// The time the ledger entries carry, pinned by the first WriteLedger attempt. The orchestration passes its own
    /// time, which differs when the activity ran for an episode whose history the engine never committed (a crash
    /// between sending the activity and saving the episode; the episode is then replayed at a later time): the
    /// second attempt must build the very entries the first one wrote and anchored.
    /// </summary>
    public DateTimeOffset? LedgerRecordedAt { get; init; }

    /// <summary>The time the notices carry, pinned by the first SendNotices attempt (same reason).</summary>
    public DateTimeOffset? NoticesIssuedAt { get; init; }

    /// <summary>Seconds the ledger activity took (its first attempt to finish): entries and index rows written.</summary>
    public double? LedgerSeconds { get; init; }

    /// <summary>Seconds the notices activity took (its first attempt to finish): outbox, sends, recipients' index.</summary>
    public double? NoticesSeconds { get; init; }

    /// <summary>An advance or remainder: the plan version (the year's expected amount) it was checked against; null without a plan.</summary>
    public int? PlanVersion { get; init; }

    /// <summary>The year's expected amount in that plan.</summary>
    public long? ExpectedYuan { get; init; }

    /// <summary>"general" or "special" in that plan.</summary>
    public string? TransferKind { get; init; }

    /// <summary>An advance: its share of the expected amount, rounded down ("92.31%").</summary>
    public string? AdvancePercent { get; init; }

    /// <summary>An advance: the least share the rule allows for its kind (90 or 70).</summary>
    public int? MinimumPercent { get; init; }

    /// <summary>An advance below the minimum: why (the approvers approve it with the run).</summary>
    public string? AdvanceException { get; init; }

    /// <summary>The Merkle root of the run's entries (lowercase hex): each notice's receipt leads to it; it is in the run's external anchor and its publication.</summary>
    public string? ReceiptRoot { get; init; }

    /// <summary>When the release was published as open data (null: not yet, or not published by this version).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Why the last attempt to publish failed (cleared when it is published).</summary>
    public string? PublicationFailure { get; init; }
}
