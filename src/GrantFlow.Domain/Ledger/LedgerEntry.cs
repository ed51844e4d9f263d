namespace GrantFlow.Domain.Ledger;

/// <summary>The kinds of ledger entry. Entries are never changed: a correction is a reversal plus a new entry.</summary>
public static class LedgerEntryKinds
{
    public const string Advance = "advance";
    public const string SettlementTopUp = "settlement-topup";
    public const string SettlementRecovery = "settlement-recovery";
    public const string Reversal = "reversal";

    /// <summary>The rest of a year's grant, released after the advance (清算前的余额下达), by its own approved run.</summary>
    public const string Remainder = "remainder";

    /// <summary>A province's grant passed down to one of its counties (下达到市县), naming the central entry.</summary>
    public const string PassDown = "pass-down";

    /// <summary>The share of a passed-down grant the province keeps (recorded), naming the central entry.</summary>
    public const string Retention = "retention";

    public static readonly IReadOnlyList<string> All = [Advance, Remainder, SettlementTopUp, SettlementRecovery, Reversal, PassDown, Retention];

    /// <summary>
    /// The entry's effect on what the centre has released: +1 for money paid to a province (advance, remainder,
    /// top-up, a correction's replacement), -1 for money taken back (recovery, reversal), 0 for money a province
    /// passes on or keeps (pass-down, retention): it was counted once, when the centre released it.
    /// </summary>
    public static int Sign(string kind) => kind switch
    {
        SettlementRecovery or Reversal => -1,
        PassDown or Retention => 0,
        _ => 1,
    };

    /// <summary>The entry's effect on the recipient's net: the amount with the sign of its kind.</summary>
    public static long NetEffect(string kind, long amountYuan) => Sign(kind) * amountYuan;
}

/// <summary>
/// One append-only ledger entry. <see cref="Hash"/> is SHA-256 over the canonical content and the previous entry's
/// hash in the same run's stream (<see cref="LedgerChain"/>), so any edit, deletion, insertion or reordering shows.
/// </summary>
public sealed record LedgerEntry
{
    public required string RunId { get; init; }
    public required int Sequence { get; init; }
    public required string Program { get; init; }
    public required int FiscalYear { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Kind { get; init; }
    public required long AmountYuan { get; init; }
    public required string NoticeNumber { get; init; }
    public required string FormulaVersion { get; init; }

    /// <summary>The exact share (fraction) and the rounding the amount came from.</summary>
    public required string ExplanationDigest { get; init; }

    /// <summary>Who approved it: "review:alice;approval:bob".</summary>
    public required string Approvals { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>For a correction: the entry it corrects, as "{run id}/{sequence}:{hash}"; null otherwise.</summary>
    public string? Corrects { get; init; }

    /// <summary>For a correction: why.</summary>
    public string? Reason { get; init; }

    /// <summary>For a pass-down or retention entry: the central entry it passes down, as "{run id}/{sequence}:{hash}".</summary>
    public string? PassesDown { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}
