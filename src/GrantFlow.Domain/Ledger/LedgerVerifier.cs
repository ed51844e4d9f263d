using System.Globalization;
using System.Numerics;

namespace GrantFlow.Domain.Ledger;

/// <summary>A ledger entry as stored: its row key (the position the store gives it) and its content.</summary>
public sealed record StoredLedgerEntry(string RowKey, LedgerEntry Entry);

/// <summary>What the run record says about its ledger: the anchors the chain must end in.</summary>
/// <remarks><see cref="EnvelopeYuan"/> is the total an advance must add up to; null for a settlement (its entries are differences).</remarks>
public sealed record LedgerAnchor(string HeadHash, int Entries, long? EnvelopeYuan);

/// <summary>One problem found: the row, what kind of tampering it points to, and what was seen.</summary>
public sealed record LedgerProblem(string RowKey, string Kind, string Message)
{
    public const string Edited = "edited";
    public const string Deleted = "deleted";
    public const string Inserted = "inserted";
    public const string Reordered = "reordered";
    public const string Amount = "amount";
    public const string Anchor = "anchor";
    public const string MissingRecord = "missing-record";
    public const string Notice = "notice";
    public const string Link = "link";

    /// <summary>The entries' receipt root is not the one the run record or the external anchor holds.</summary>
    public const string Receipt = "receipt";

    /// <summary>The published release does not state, or no longer hashes to, the root of the entries.</summary>
    public const string Published = "published";

    /// <summary>A program-year's plan versions disagree with their chain or their external anchors.</summary>
    public const string Plan = "plan";
}

/// <summary>A notice's copy of the ledger: the hash of its entry and the chain head it was issued with.</summary>
public sealed record NoticeWitness(string Source, string ProvinceCode, string EntryHash, string? ChainHeadHash);

/// <summary>
/// Everything outside a run's ledger partition that vouches for it: the run record (does it exist, what does it
/// anchor, should the run have written a ledger), the external anchor written once to immutable storage, and the
/// notices sent to provinces.
/// </summary>
public sealed record LedgerWitnesses(bool RunRecordExists, bool LedgerExpected, LedgerAnchor? RecordAnchor, LedgerAnchor? ExternalAnchor, IReadOnlyList<NoticeWitness> Notices);

/// <summary>The verification of one stream (a run's entries).</summary>
public sealed record LedgerVerification(string RunId, int EntriesChecked, string RecomputedHeadHash, IReadOnlyList<LedgerProblem> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Verifies a run's ledger stream: sequence positions, each entry's hash over its canonical content, the links
/// between entries, each amount recomputed from its stored explanation, and the chain head, count and total against
/// the anchors in the run record. It names the rows that are wrong and whether they were edited, deleted, inserted
/// or reordered.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>
    /// Verifies the stream and checks it against every witness: a ledger without a run record, a run record without
    /// its anchor, an external anchor that is missing or differs, and a notice whose entry hash or chain head is not
    /// the ledger's are all reported (a consistent rewrite of a whole run, hashes recomputed and the record's anchor
    /// updated, still differs from the external anchor and from the notices the provinces hold).
    /// </summary>
    public static LedgerVerification Verify(string runId, IReadOnlyList<StoredLedgerEntry> stored, LedgerWitnesses witnesses)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        var result = Verify(runId, stored, witnesses.RecordAnchor);
        var problems = result.Problems.ToList();
        var rows = stored.OrderBy(s => s.RowKey, StringComparer.Ordinal).ToList();
        var last = rows.Count > 0 ? rows[^1].RowKey : "-";
        if (!witnesses.RunRecordExists)
        {
            problems.Add(new("-", LedgerProblem.MissingRecord, $"{rows.Count} ledger entries but no run record: the run record was deleted."));
        }
        else if (witnesses.RecordAnchor is null && (witnesses.LedgerExpected || rows.Count > 0))
        {
            problems.Add(new(last, LedgerProblem.Anchor, witnesses.LedgerExpected
                ? "the run record has no anchor (head hash) though the run wrote its ledger: the anchor was removed."
                : $"{rows.Count} ledger entries on a run that wrote none: inserted rows."));
        }

        if (witnesses.ExternalAnchor is { } external)
        {
            var before = problems.Count;
            CheckAnchor(rows, external, result.RecomputedHeadHash, problems);
            for (var i = before; i < problems.Count; i++)
            {
                problems[i] = problems[i] with { Message = "external anchor: " + problems[i].Message.Replace("the run record anchors", "the immutable anchor holds", StringComparison.Ordinal) };
            }
        }
        else if (witnesses.LedgerExpected || rows.Count > 0)
        {
            problems.Add(new(last, LedgerProblem.Anchor, "no external anchor in immutable storage for this run's ledger."));
        }

        var hashes = rows.Select(r => r.Entry.Hash).ToHashSet(StringComparer.Ordinal);
        foreach (var notice in witnesses.Notices)
        {
            if (!hashes.Contains(notice.EntryHash))
            {
                problems.Add(new("-", LedgerProblem.Notice, $"{notice.Source} for province {notice.ProvinceCode} carries entry hash {Short(notice.EntryHash)}..., which no ledger row has: the entry was rewritten."));
            }

            if (notice.ChainHeadHash is { } head && !string.Equals(head, result.RecomputedHeadHash, StringComparison.Ordinal))
            {
                problems.Add(new(last, LedgerProblem.Notice, $"{notice.Source} for province {notice.ProvinceCode} was issued with chain head {Short(head)}..., the ledger ends in {Short(result.RecomputedHeadHash)}...: the chain was rewritten."));
            }
        }

        return result with { Problems = problems };
    }

    private static string Short(string hash) => hash[..Math.Min(12, hash.Length)];

    public static LedgerVerification Verify(string runId, IReadOnlyList<StoredLedgerEntry> stored, LedgerAnchor? anchor)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var problems = new List<LedgerProblem>();
        var rows = stored.OrderBy(s => s.RowKey, StringComparer.Ordinal).ToList();
        var expected = 1;
        var previousHash = LedgerChain.Genesis;
        foreach (var row in rows)
        {
            if (!int.TryParse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || row.RowKey.Length != 6)
            {
                problems.Add(new(row.RowKey, LedgerProblem.Inserted, $"row '{row.RowKey}' is not a ledger position: an inserted row."));
                continue;
            }

            if (position > expected)
            {
                problems.Add(new(row.RowKey, LedgerProblem.Deleted, position - expected == 1
                    ? $"entry {expected} is missing before row {row.RowKey}: a deleted row."
                    : $"entries {expected}-{position - 1} are missing before row {row.RowKey}: deleted rows."));
            }

            expected = position + 1;
            CheckEntry(row, previousHash, rows.Count, problems);
            CheckAmount(row, problems);
            previousHash = row.Entry.Hash;
        }

        var head = rows.Count > 0 ? rows[^1].Entry.Hash : LedgerChain.Genesis;
        if (anchor is not null)
        {
            CheckAnchor(rows, anchor, head, problems);
        }

        return new LedgerVerification(runId, rows.Count, head, problems);
    }

    private static void CheckEntry(StoredLedgerEntry row, string previousHash, int rowCount, List<LedgerProblem> problems)
    {
        var entry = row.Entry;
        if (!string.Equals(LedgerChain.ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
        {
            // Content that hashes correctly at another position was moved there: a reordering, not an edit.
            var original = Enumerable.Range(1, Math.Max(rowCount, entry.Sequence) + 1)
                .Where(s => s != entry.Sequence)
                .FirstOrDefault(s => string.Equals(LedgerChain.ComputeHash(entry with { Sequence = s }), entry.Hash, StringComparison.Ordinal));
            problems.Add(original > 0
                ? new(row.RowKey, LedgerProblem.Reordered, $"row {row.RowKey} holds entry {original} ({entry.ProvinceCode}): a reordered row.")
                : new(row.RowKey, LedgerProblem.Edited, $"row {row.RowKey} ({entry.ProvinceCode}): its content does not match its hash: an edited field."));
        }
        else if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            problems.Add(new(row.RowKey, LedgerProblem.Inserted, $"row {row.RowKey} ({entry.ProvinceCode}) does not link to the row before it: a row was inserted or removed before it."));
        }
    }

    /// <summary>amount = floor(exact) + adjustment, or the floor when it bound, from the stored explanation digest.</summary>
    private static void CheckAmount(StoredLedgerEntry row, List<LedgerProblem> problems)
    {
        var parts = row.Entry.ExplanationDigest.Split(';', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (row.Entry.Kind == LedgerEntryKinds.Retention)
        {
            // A province's retention: the amount it states it kept, recorded when the pass-down was approved.
            if (!long.TryParse(parts.GetValueOrDefault("retained"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var retained) || retained != row.Entry.AmountYuan)
            {
                problems.Add(new(row.RowKey, LedgerProblem.Amount, $"row {row.RowKey}: retention {row.Entry.AmountYuan} does not match its explanation '{row.Entry.ExplanationDigest}'."));
            }

            return;
        }

        if (row.Entry.Corrects is not null)
        {
            // A correction's amount is the reversed original or the corrected figure the approvers signed off.
            var stated = parts.GetValueOrDefault("original") ?? parts.GetValueOrDefault("corrected");
            if (!long.TryParse(stated, NumberStyles.Integer, CultureInfo.InvariantCulture, out var figure) || figure != row.Entry.AmountYuan)
            {
                problems.Add(new(row.RowKey, LedgerProblem.Amount, $"row {row.RowKey}: correction amount {row.Entry.AmountYuan} does not match its explanation '{row.Entry.ExplanationDigest}'."));
            }

            return;
        }

        if (!parts.TryGetValue("exact", out var exact) || exact.Split('/') is not [var n, var d]
            || !BigInteger.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var numerator)
            || !BigInteger.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var denominator) || denominator.IsZero
            || !parts.TryGetValue("adj", out var adjText) || !long.TryParse(adjText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var adjustment))
        {
            problems.Add(new(row.RowKey, LedgerProblem.Amount, $"row {row.RowKey}: the explanation cannot be read, so the amount cannot be recomputed."));
            return;
        }

        // Worked out in BigInteger: an explanation edited to absurd figures is a problem of its row, never an overflow.
        var quotient = BigInteger.Divide(numerator, denominator) + adjustment;
        if (quotient < long.MinValue || quotient > long.MaxValue)
        {
            problems.Add(new(row.RowKey, LedgerProblem.Amount, $"row {row.RowKey}: its explanation gives {quotient}, which no entry can hold."));
            return;
        }

        var recomputed = (long)quotient;
        if (parts.TryGetValue("advanced", out var advancedText) && parts.TryGetValue("settled", out var settledText)
            && long.TryParse(advancedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var advanced)
            && long.TryParse(settledText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var settled))
        {
            // A settlement entry: the settled amount comes from the explanation; the entry is its difference to the advance.
            if (settled != recomputed)
            {
                problems.Add(new(row.RowKey, LedgerProblem.Amount, string.Create(CultureInfo.InvariantCulture, $"row {row.RowKey}: settled {settled} but the explanation gives {recomputed}.")));
            }

            recomputed = (long)BigInteger.Min(BigInteger.Abs((BigInteger)settled - advanced), long.MaxValue);
        }

        if (recomputed != row.Entry.AmountYuan)
        {
            problems.Add(new(row.RowKey, LedgerProblem.Amount, string.Create(
                CultureInfo.InvariantCulture,
                $"row {row.RowKey} ({row.Entry.ProvinceCode}): amount {row.Entry.AmountYuan} but its explanation gives {recomputed}.")));
        }
    }

    private static void CheckAnchor(List<StoredLedgerEntry> rows, LedgerAnchor anchor, string head, List<LedgerProblem> problems)
    {
        if (rows.Count > anchor.Entries)
        {
            problems.Add(new(rows[^1].RowKey, LedgerProblem.Inserted, $"{rows.Count} rows where the run record anchors {anchor.Entries}: rows were inserted."));
        }
        else if (rows.Count < anchor.Entries)
        {
            problems.Add(new(rows.Count > 0 ? rows[^1].RowKey : "-", LedgerProblem.Deleted, $"{rows.Count} rows where the run record anchors {anchor.Entries}: rows were deleted."));
        }

        if (!string.Equals(head, anchor.HeadHash, StringComparison.Ordinal))
        {
            problems.Add(new(rows.Count > 0 ? rows[^1].RowKey : "-", LedgerProblem.Anchor, $"the chain ends in {head[..12]}..., the run record anchors {anchor.HeadHash[..Math.Min(12, anchor.HeadHash.Length)]}...: the chain was rewritten."));
        }

        var total = rows.Aggregate(Int128.Zero, (sum, r) => sum + r.Entry.AmountYuan);
        foreach (var row in rows.Where(r => r.Entry.AmountYuan is < 0 or > Validation.RunInputValidator.MaxAmountYuan))
        {
            problems.Add(new(row.RowKey, LedgerProblem.Amount, string.Create(CultureInfo.InvariantCulture, $"row {row.RowKey} ({row.Entry.ProvinceCode}): {row.Entry.AmountYuan:N0} yuan is outside what any release writes (0 to {Validation.RunInputValidator.MaxAmountYuan:N0}).")));
        }

        if (anchor.EnvelopeYuan is { } envelope && total != envelope)
        {
            problems.Add(new("-", LedgerProblem.Amount, string.Create(CultureInfo.InvariantCulture, $"the entries add up to {total:N0} yuan, the run's envelope is {envelope:N0}.")));
        }
    }
}
