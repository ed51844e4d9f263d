using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrantFlow.Domain.Ledger;

/// <summary>Builds and checks the hash chain of a run's ledger entries.</summary>
public static class LedgerChain
{
    /// <summary>The previous-hash of a stream's first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The canonical text an entry's hash covers (field order fixed, invariant culture, '|' separated).</summary>
    public static string CanonicalContent(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var correction = entry.Corrects is null ? string.Empty : $"|corrects={entry.Corrects}|reason={entry.Reason}";
        correction += entry.PassesDown is null ? string.Empty : $"|passes-down={entry.PassesDown}";
        return string.Join(
            '|',
            entry.RunId,
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.Program,
            entry.FiscalYear.ToString(CultureInfo.InvariantCulture),
            entry.ProvinceCode,
            entry.Kind,
            entry.AmountYuan.ToString(CultureInfo.InvariantCulture),
            entry.NoticeNumber,
            entry.FormulaVersion,
            entry.ExplanationDigest,
            entry.Approvals,
            entry.RecordedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            entry.PreviousHash) + correction;
    }

    public static string ComputeHash(LedgerEntry entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalContent(entry))));

    /// <summary>Links entries (in the given order) into a chain, filling Sequence, PreviousHash and Hash.</summary>
    public static IReadOnlyList<LedgerEntry> Link(IEnumerable<LedgerEntry> entries, string previousHash = Genesis)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var linked = new List<LedgerEntry>();
        var sequence = 1;
        foreach (var entry in entries)
        {
            var withLink = entry with { Sequence = sequence++, PreviousHash = previousHash, Hash = string.Empty };
            var hashed = withLink with { Hash = ComputeHash(withLink) };
            linked.Add(hashed);
            previousHash = hashed.Hash;
        }

        return linked;
    }

    /// <summary>The problems found in a stream, empty when the chain is intact.</summary>
    public static IReadOnlyList<string> Verify(IReadOnlyList<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<string>();
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Sequence != i + 1)
            {
                problems.Add($"entry {e.ProvinceCode}: sequence {e.Sequence} where {i + 1} was expected (deleted, inserted or reordered entry).");
            }

            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                problems.Add($"entry {e.Sequence} ({e.ProvinceCode}): previous hash does not match the entry before it.");
            }

            if (!string.Equals(ComputeHash(e), e.Hash, StringComparison.Ordinal))
            {
                problems.Add($"entry {e.Sequence} ({e.ProvinceCode}): content does not match its hash (edited).");
            }

            previous = e.Hash;
        }

        return problems;
    }
}
