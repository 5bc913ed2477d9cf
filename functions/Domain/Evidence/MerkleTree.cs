using System.Security.Cryptography;

namespace NotifyHub.Domain.Evidence;

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1): a leaf's hash is SHA-256(0x00 ‖ leaf), a node's
/// SHA-256(0x01 ‖ left ‖ right), the tree of n leaves splits at the largest power of two below n, and the root of no leaves is
/// SHA-256 of nothing. Built level by level (a node left without a partner moves up unchanged), which is the same tree.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[][]> _levels = [];

    public MerkleTree(IReadOnlyList<byte[]> leafHashes)
    {
        var level = leafHashes.ToArray();
        _levels.Add(level);
        while (level.Length > 1)
        {
            var up = new byte[(level.Length + 1) / 2][];
            for (var i = 0; i < up.Length; i++)
                up[i] = 2 * i + 1 < level.Length ? Node(level[2 * i], level[2 * i + 1]) : level[2 * i];
            _levels.Add(up);
            level = up;
        }
    }

    public int Size => _levels[0].Length;

    public byte[] Root => Size == 0 ? SHA256.HashData([]) : _levels[^1][0];

    /// <summary>The audit path of leaf <paramref name="index"/> (RFC 9162 2.1.3.1), from the leaf's sibling up.</summary>
    public IReadOnlyList<byte[]> Path(int index)
    {
        if (index < 0 || index >= Size) throw new ArgumentOutOfRangeException(nameof(index));
        var path = new List<byte[]>();
        for (var l = 0; l < _levels.Count - 1; l++)
        {
            var sibling = index ^ 1;
            if (sibling < _levels[l].Length) path.Add(_levels[l][sibling]);
            index >>= 1;
        }
        return path;
    }

    public static byte[] LeafHash(byte[] leaf)
    {
        var bytes = new byte[leaf.Length + 1];
        leaf.CopyTo(bytes, 1);
        return SHA256.HashData(bytes);
    }

    public static byte[] Node(byte[] left, byte[] right)
    {
        var bytes = new byte[1 + left.Length + right.Length];
        bytes[0] = 1;
        left.CopyTo(bytes, 1);
        right.CopyTo(bytes, 1 + left.Length);
        return SHA256.HashData(bytes);
    }

    /// <summary>Whether <paramref name="path"/> proves leaf <paramref name="index"/> of a tree of <paramref name="size"/> leaves has root <paramref name="root"/> (RFC 9162 2.1.3.2).</summary>
    public static bool VerifyInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> path, byte[] root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash;
        foreach (var p in path)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }
}
