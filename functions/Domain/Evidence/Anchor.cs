using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Domain.Evidence;

/// <summary>
/// One incident's chain head as an anchor holds it: a leaf of the anchor's Merkle tree. It names the incident by its id and by
/// the force's code and reference, so an export of one incident cannot be passed off as another's.
/// </summary>
public sealed record AnchorLeaf(string IncidentId, string Force, string Reference, long Version, string ChainHash)
{
    /// <summary>The leaf's canonical bytes: the RFC 8785 form of <c>{"force", "hash", "incident", "reference", "version"}</c>.</summary>
    public byte[] Bytes() => CanonicalJson.Bytes(new JsonObject
    {
        ["force"] = Force, ["hash"] = ChainHash, ["incident"] = IncidentId, ["reference"] = Reference, ["version"] = Version,
    });

    public byte[] Hash() => MerkleTree.LeafHash(Bytes());
}

/// <summary>
/// What an anchor says, and what its signature covers: anchor <see cref="Number"/> (from 1) holds <see cref="Leaves"/> chain
/// heads of incidents that changed from <see cref="From"/> until <see cref="Cutoff"/>, under Merkle root <see cref="Root"/>,
/// after the anchor whose hash is <see cref="Prev"/> (64 zeros for the first). Its canonical bytes are the RFC 8785 form of
/// the object <see cref="ToJson"/> writes; its hash is their SHA-256; its signature is ECDSA P-256 with SHA-256 over them.
/// </summary>
public sealed record AnchorStatement(long Number, string Prev, string Root, long Leaves, DateTimeOffset? From, DateTimeOffset Cutoff, string KeyId,
    DateTimeOffset CreatedAt)
{
    public const string Format = "notifyhub-anchor/1";

    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["number"] = Number,
        ["prev"] = Prev,
        ["root"] = Root,
        ["leaves"] = Leaves,
        ["from"] = From is { } from ? LedgerEvent.Canonical(from) : null,
        ["cutoff"] = LedgerEvent.Canonical(Cutoff),
        ["keyId"] = KeyId,
        ["createdAt"] = LedgerEvent.Canonical(CreatedAt),
    };

    public byte[] Bytes() => CanonicalJson.Bytes(ToJson());

    public string Hash() => EvidenceChain.Hex(SHA256.HashData(Bytes()));

    /// <summary>A statement read back from its JSON; null when a member is missing or of the wrong kind.</summary>
    public static AnchorStatement? Read(JsonObject? o)
    {
        if (o is null || Str(o, "format") != Format) return null;
        if (Num(o, "number") is not { } number || Str(o, "prev") is not { } prev || Str(o, "root") is not { } root || Num(o, "leaves") is not { } leaves
            || Instant(Str(o, "cutoff")) is not { } cutoff || Str(o, "keyId") is not { } keyId || Instant(Str(o, "createdAt")) is not { } created) return null;
        return new AnchorStatement(number, prev, root, leaves, Instant(Str(o, "from")), cutoff, keyId, created);
    }

    private static string? Str(JsonObject o, string name) => EvidenceJson.String(o, name);

    private static long? Num(JsonObject o, string name) => EvidenceJson.Number(o, name);

    private static DateTimeOffset? Instant(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

/// <summary>The evidence key's signatures: ECDSA P-256, SHA-256, the signature as r ‖ s (64 bytes, IEEE P1363) in base64.</summary>
public static class EvidenceSignature
{
    public static string Sign(ECDsa key, byte[] bytes) => Convert.ToBase64String(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static bool Verify(ECDsa key, byte[] bytes, string? signature)
    {
        if (signature is null) return false;
        var raw = new byte[96];
        if (!Convert.TryFromBase64String(signature, raw, out var length) || length != 64) return false;
        return key.VerifyData(bytes, raw.AsSpan(0, 64), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>A key's id: the first 16 hex digits of the SHA-256 of its public key (SubjectPublicKeyInfo, DER).</summary>
    public static string KeyId(ECDsa key) => EvidenceChain.Hex(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>The public key in PEM (what the hub publishes and what <c>verify-evidence --public-key</c> reads).</summary>
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>
    /// Every public key in a PEM text (PEM blocks one after another, as the hub publishes them after a rotation); why not, when
    /// a block is not an ECDSA P-256 public key. No text, no keys.
    /// </summary>
    public static (IReadOnlyList<ECDsa> Keys, string? Error) ReadPublicKeys(string pem)
    {
        var keys = new List<ECDsa>();
        const string begin = "-----BEGIN PUBLIC KEY-----", end = "-----END PUBLIC KEY-----";
        var at = 0;
        while (pem.IndexOf(begin, at, StringComparison.Ordinal) is var start and >= 0)
        {
            var stop = pem.IndexOf(end, start, StringComparison.Ordinal);
            if (stop < 0) return (keys, "has a public key without its END line");
            var (key, error) = ReadPublic(pem[start..(stop + end.Length)]);
            if (key is null) return (keys, $"key {keys.Count + 1} {error}");
            keys.Add(key);
            at = stop + end.Length;
        }
        if (keys.Count == 0 && pem.Trim().Length > 0) return (keys, "is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
        return (keys, null);
    }

    /// <summary>A public key from PEM; null (with why) when it is not an ECDSA P-256 public key.</summary>
    public static (ECDsa? Key, string? Error) ReadPublic(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            return (null, "is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            return (null, "is not an ECDSA P-256 key");
        }
        return (key, null);
    }
}
