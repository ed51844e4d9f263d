using System.Globalization;

namespace GrantFlow.Domain.Ledger;

/// <summary>A reference to one ledger entry, as a pass-down or a correction names it: "{run id}/{sequence}:{hash}".</summary>
public readonly record struct EntryReference(string RunId, int Sequence, string Hash)
{
    public static bool TryParse(string? text, out EntryReference reference)
    {
        reference = default;
        if (text?.Split('/', ':') is not [var runId, var sequence, var hash] || runId.Length == 0 || hash.Length == 0
            || !int.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position < 1)
        {
            return false;
        }

        reference = new EntryReference(runId, position, hash);
        return true;
    }

    public static EntryReference Of(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new EntryReference(entry.RunId, entry.Sequence, entry.Hash);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RunId}/{Sequence}:{Hash}");
}

/// <summary>One thing wrong on a traced path: a code clients can name in their own language, and the sentence.</summary>
public sealed record TraceFinding(string Code, string Message)
{
    public const string Missing = "link.missing";
    public const string OtherHash = "link.other-hash";
    public const string Altered = "link.altered";
    public const string OtherProgram = "link.other-program";
    public const string NotPayer = "link.not-payer";
    public const string NotPassable = "link.not-passable";
    public const string Unreadable = "link.unreadable";
    public const string NoOrigin = "path.no-origin";
    public const string TooLong = "path.too-long";
    public const string Chain = "chain.broken";
}

/// <summary>
/// The checks of one link of the money's path down the levels (centre → province → prefecture → county): the entry a
/// pass-down names must exist with the hash it names, hash to that hash from its own content, be of the same program
/// and year, be paid to the payer of the pass-down (whose code the recipient's code starts with), and be money that is
/// passed down: a central release (advance or remainder) at the top, a pass-down below it.
/// </summary>
public static class LedgerTrace
{
    /// <summary>Centre → province → prefecture → county: a county's yuan is at most three links from its central entry.</summary>
    public const int MaxLinks = 3;

    /// <summary>What is wrong with the link from <paramref name="child"/> up to <paramref name="parent"/> (null: not found); empty when it holds.</summary>
    public static IReadOnlyList<TraceFinding> LinkProblems(LedgerEntry child, EntryReference reference, LedgerEntry? parent)
    {
        ArgumentNullException.ThrowIfNull(child);
        var at = $"entry {child.RunId}/{child.Sequence} ({child.ProvinceCode})";
        if (parent is null)
        {
            return [new(TraceFinding.Missing, $"{at} passes down entry {reference.RunId}/{reference.Sequence}, which does not exist: the money traces back to nothing.")];
        }

        var problems = new List<TraceFinding>();
        if (parent.Hash != reference.Hash)
        {
            problems.Add(new(TraceFinding.OtherHash, $"{at} names entry {reference.RunId}/{reference.Sequence} by hash {Short(reference.Hash)}; that entry's hash is {Short(parent.Hash)}."));
        }

        if (LedgerChain.ComputeHash(parent) != parent.Hash)
        {
            problems.Add(new(TraceFinding.Altered, $"entry {parent.RunId}/{parent.Sequence} was altered: its content no longer hashes to its hash {Short(parent.Hash)}."));
        }

        if (parent.Program != child.Program || parent.FiscalYear != child.FiscalYear)
        {
            problems.Add(new(TraceFinding.OtherProgram, $"{at} is {child.Program} {child.FiscalYear}; the entry it passes down is {parent.Program} {parent.FiscalYear}."));
        }

        if (!child.ProvinceCode.StartsWith(parent.ProvinceCode, StringComparison.Ordinal))
        {
            problems.Add(new(TraceFinding.NotPayer, $"{at} is not under {parent.ProvinceCode}, the recipient of the entry it passes down."));
        }

        var passable = parent.PassesDown is null
            ? parent.Kind is LedgerEntryKinds.Advance or LedgerEntryKinds.Remainder
            : parent.Kind == LedgerEntryKinds.PassDown;
        if (!passable)
        {
            problems.Add(new(TraceFinding.NotPassable, $"entry {parent.RunId}/{parent.Sequence} is a {parent.Kind} entry; only central releases (advance, remainder) and pass-downs are passed down."));
        }

        return problems;
    }

    /// <summary>What is wrong with the top of a path: a central entry, naming nothing above it (a pass-down or retention must name one).</summary>
    public static IReadOnlyList<TraceFinding> RootProblems(LedgerEntry root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.PassesDown is not null)
        {
            return [new(TraceFinding.TooLong, $"the path is longer than {MaxLinks} links (centre, province, prefecture, county); entry {root.RunId}/{root.Sequence} is not traced further.")];
        }

        return root.Kind is LedgerEntryKinds.PassDown or LedgerEntryKinds.Retention
            ? [new(TraceFinding.NoOrigin, $"entry {root.RunId}/{root.Sequence} is a {root.Kind} entry naming no entry it passes down: it traces back to nothing.")]
            : [];
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
