using System.Security.Cryptography;
using System.Text;
using GrantFlow.Domain.Receipts;

namespace GrantFlow.Domain.Tests.Receipts;

public class MerkleTreeTests
{
    private static byte[][] Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => MerkleTree.LeafHash(Encoding.UTF8.GetBytes($"leaf {i}")))];

    /// <summary>RFC 6962 section 2.1 as written: split at the largest power of two below n.</summary>
    private static byte[] Reference(ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 0)
        {
            return SHA256.HashData([]);
        }

        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        return MerkleTree.NodeHash(Reference(leaves[..k]), Reference(leaves[k..]));
    }

    [Fact]
    public void The_root_is_the_rfc_6962_root_for_every_size_up_to_70()
    {
        for (var n = 0; n <= 70; n++)
        {
            var leaves = Leaves(n);
            Assert.Equal(Convert.ToHexString(Reference(leaves)), Convert.ToHexString(MerkleTree.Build(leaves).Root));
        }
    }

    [Fact]
    public void Every_leafs_path_leads_to_the_root_and_no_other_leafs_does()
    {
        foreach (var n in new[] { 1, 2, 3, 5, 7, 8, 31, 33 })
        {
            var leaves = Leaves(n);
            var tree = MerkleTree.Build(leaves);
            for (var i = 0; i < n; i++)
            {
                var path = tree.PathOf(i);
                Assert.Equal(tree.Root, MerkleTree.RootFromPath(i, n, leaves[i], path));
                var other = leaves[(i + 1) % n];
                if (n > 1)
                {
                    Assert.NotEqual(tree.Root, MerkleTree.RootFromPath(i, n, other, path));
                    Assert.NotEqual(tree.Root, MerkleTree.RootFromPath((i + 1) % n, n, leaves[i], path));
                }
            }
        }
    }

    [Fact]
    public void A_path_of_the_wrong_length_or_position_leads_nowhere()
    {
        var leaves = Leaves(5);
        var tree = MerkleTree.Build(leaves);
        var path = tree.PathOf(2);
        Assert.Null(MerkleTree.RootFromPath(2, 5, leaves[2], [.. path, path[0]]));
        Assert.Null(MerkleTree.RootFromPath(2, 5, leaves[2], [.. path.Take(1)]));
        Assert.Null(MerkleTree.RootFromPath(5, 5, leaves[2], path));
        Assert.Null(MerkleTree.RootFromPath(-1, 5, leaves[2], path));
    }

    [Fact]
    public void A_pass_down_of_three_thousand_counties_has_paths_of_twelve_hashes()
    {
        var tree = MerkleTree.Build(Leaves(3_000));
        Assert.Equal(12, tree.PathOf(0).Count);
        Assert.Equal(tree.Root, MerkleTree.RootFromPath(2_999, 3_000, Leaves(3_000)[2_999], tree.PathOf(2_999)));
    }
}
