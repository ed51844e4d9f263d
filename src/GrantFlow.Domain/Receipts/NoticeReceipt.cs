using System.Globalization;
using System.Text;
using GrantFlow.Domain.Ledger;

namespace GrantFlow.Domain.Receipts;

/// <summary>
/// What a receipt's leaf is made of: the fields of one ledger entry that its notice and the published release both
/// carry (run, sequence, notice number, recipient, kind, amount, the entry's chain hash). Changing any of them changes
/// the leaf, so the path no longer leads to the run's root.
/// </summary>
public sealed record ReceiptLeaf(string RunId, int Sequence, string NoticeNumber, string RecipientCode, string Kind, long AmountYuan, string EntryHash)
{
    /// <summary>The leaf format's name, first in the hashed text (a new format is a new name, never a silent change).</summary>
    public const string Format = "grantflow-receipt-leaf/1";

    public static ReceiptLeaf Of(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ReceiptLeaf(entry.RunId, entry.Sequence, entry.NoticeNumber, entry.ProvinceCode, entry.Kind, entry.AmountYuan, entry.Hash);
    }

    /// <summary>The hashed text: the fields one per line, integers in invariant digits.</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture, $"{Format}\n{RunId}\n{Sequence}\n{NoticeNumber}\n{RecipientCode}\n{Kind}\n{AmountYuan}\n{EntryHash}");

    public byte[] Hash() => MerkleTree.LeafHash(Encoding.UTF8.GetBytes(Canonical()));
}

/// <summary>
/// A notice's inclusion proof: the position of its entry among its run's entries (leaves in sequence order), the
/// audit path and the run's root (lowercase hex). The root is in the run's external anchor and in the published
/// release, so a province can check its notice offline against what was recorded and what was published.
/// </summary>
public sealed record NoticeReceipt
{
    public required int LeafIndex { get; init; }
    public required int LeafCount { get; init; }
    public required int Sequence { get; init; }
    public required IReadOnlyList<string> Path { get; init; }
    public required string Root { get; init; }

    /// <summary>The leaves of a run's entries, in sequence order (the order of the tree).</summary>
    public static IReadOnlyList<ReceiptLeaf> LeavesOf(IEnumerable<LedgerEntry> entries) => [.. entries.OrderBy(e => e.Sequence).Select(ReceiptLeaf.Of)];

    /// <summary>The root of a run's entries (lowercase hex).</summary>
    public static string RootOf(IReadOnlyList<ReceiptLeaf> leaves) => Convert.ToHexStringLower(MerkleTree.Build([.. leaves.Select(l => l.Hash())]).Root);

    /// <summary>Every entry's receipt, by sequence, from one tree.</summary>
    public static IReadOnlyDictionary<int, NoticeReceipt> ForRun(IReadOnlyList<ReceiptLeaf> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var tree = MerkleTree.Build([.. leaves.Select(l => l.Hash())]);
        var root = Convert.ToHexStringLower(tree.Root);
        var receipts = new Dictionary<int, NoticeReceipt>(leaves.Count);
        for (var i = 0; i < leaves.Count; i++)
        {
            receipts[leaves[i].Sequence] = new NoticeReceipt
            {
                LeafIndex = i,
                LeafCount = leaves.Count,
                Sequence = leaves[i].Sequence,
                Path = [.. tree.PathOf(i).Select(Convert.ToHexStringLower)],
                Root = root,
            };
        }

        return receipts;
    }

    /// <summary>The root this receipt's path leads to from <paramref name="leaf"/> (lowercase hex), or null when the path is malformed or cannot fit its position.</summary>
    public string? RootFrom(ReceiptLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (Path is null || Path.Count > 64 || Path.Any(p => p is not { Length: 64 } || !p.All(Uri.IsHexDigit)))
        {
            return null;
        }

        var root = MerkleTree.RootFromPath(LeafIndex, LeafCount, leaf.Hash(), [.. Path.Select(Convert.FromHexString)]);
        return root is null ? null : Convert.ToHexStringLower(root);
    }
}
