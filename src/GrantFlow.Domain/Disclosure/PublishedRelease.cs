using GrantFlow.Domain.Receipts;

namespace GrantFlow.Domain.Disclosure;

/// <summary>
/// A release as published for anyone to read (Budget Law art. 14: transfer payments made public within 20 days of
/// approval): who paid whom how much under which program and formula, with the notice numbers, the run's chain head
/// and the root its receipts lead to. Nothing personal: no approver, initiator or reason (a correction's reason is
/// free text) is published; only regions, amounts and hashes.
/// </summary>
public sealed record PublishedRelease
{
    /// <summary>The document's format (a new format is a new name).</summary>
    public const string CurrentSchema = "grantflow.release/1";

    /// <summary>Days after approval within which a release is to be published.</summary>
    public const int DeadlineDays = 20;

    public string Schema { get; init; } = CurrentSchema;
    public required string RunId { get; init; }

    /// <summary>The run's kind: advance, remainder, settlement, correction or pass-down.</summary>
    public required string RunKind { get; init; }

    /// <summary>Who pays: <c>central</c> (the centre to provinces) or a province's code (to its counties).</summary>
    public required string Payer { get; init; }
    public required string PayerName { get; init; }
    public required string Program { get; init; }
    public required string ProgramName { get; init; }
    public required int FiscalYear { get; init; }
    public PublishedFormula? Formula { get; init; }

    /// <summary>When the release was approved (its ledger recorded after the last approval).</summary>
    public required DateTimeOffset ApprovedAt { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>Whole days from approval to publication, and whether that is more than <see cref="DeadlineDays"/>.</summary>
    public int DaysToPublish => (int)Math.Floor((PublishedAt - ApprovedAt).TotalDays);
    public bool Late => PublishedAt > ApprovedAt.AddDays(DeadlineDays);
    public required string ChainHead { get; init; }
    public required string ReceiptRoot { get; init; }
    public required long TotalYuan { get; init; }
    public required IReadOnlyList<PublishedLine> Lines { get; init; }

    /// <summary>The root the lines hash to (equal to <see cref="ReceiptRoot"/> unless the document was edited).</summary>
    public string ComputedRoot() => NoticeReceipt.RootOf([.. Lines.OrderBy(l => l.Sequence).Select(l => l.Leaf(RunId))]);

    public PublishedSummary Summary() => new(RunId, RunKind, Payer, PayerName, Program, ProgramName, FiscalYear, ApprovedAt, PublishedAt, DaysToPublish, Late, TotalYuan, Lines.Count, ReceiptRoot, ChainHead);
}

/// <summary>One ledger entry of a published release.</summary>
public sealed record PublishedLine(int Sequence, string RecipientCode, string RecipientName, string Kind, long AmountYuan, string NoticeNumber, string EntryHash)
{
    public ReceiptLeaf Leaf(string runId) => new(runId, Sequence, NoticeNumber, RecipientCode, Kind, AmountYuan, EntryHash);
}

/// <summary>The formula and its parameters as the run used them (null fields: not used).</summary>
public sealed record PublishedFormula(string Kind, long? EnvelopeYuan, decimal? StandardYuan, IReadOnlyDictionary<string, decimal>? Weights, decimal? FloorRatio, string? FloorBasis, decimal? RetentionShare);

/// <summary>A release in the index of its fiscal year and in the feed.</summary>
public sealed record PublishedSummary(
    string RunId, string RunKind, string Payer, string PayerName, string Program, string ProgramName, int FiscalYear,
    DateTimeOffset ApprovedAt, DateTimeOffset PublishedAt, int DaysToPublish, bool Late, long TotalYuan, int Recipients, string ReceiptRoot, string ChainHead);

/// <summary>A fiscal year's published releases, newest first.</summary>
public sealed record PublishedIndex(int FiscalYear, IReadOnlyList<PublishedSummary> Releases)
{
    /// <summary>The index with <paramref name="summary"/> in it (replacing an older copy of the same run's), newest first.</summary>
    public PublishedIndex With(PublishedSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return this with
        {
            Releases = [.. Releases.Where(r => r.RunId != summary.RunId).Append(summary).OrderByDescending(r => r.PublishedAt).ThenBy(r => r.RunId, StringComparer.Ordinal)],
        };
    }
}
