using System.Text.Json.Nodes;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Domain.Evidence;

/// <summary>An anchor as stored and exported: its statement (the object its signature covers) and the signature.</summary>
public sealed record SignedAnchor(JsonObject Statement, string Signature)
{
    public AnchorStatement? Read() => AnchorStatement.Read(Statement);

    public JsonObject ToJson() => new() { ["statement"] = Statement.DeepClone(), ["signature"] = Signature, ["hash"] = EvidenceChain.Hex(System.Security.Cryptography.SHA256.HashData(CanonicalJson.Bytes(Statement))) };
}

/// <summary>Where one incident's chain head sits in an anchor: the leaf, its index, and its audit path to the anchor's root.</summary>
public sealed record Inclusion(long Anchor, long Version, string ChainHash, long LeafIndex, long TreeSize, IReadOnlyList<string> Path)
{
    public JsonObject ToJson() => new()
    {
        ["anchor"] = Anchor, ["version"] = Version, ["chainHash"] = ChainHash, ["leafIndex"] = LeafIndex, ["treeSize"] = TreeSize,
        ["path"] = new JsonArray([.. Path.Select(p => (JsonNode)p)]),
    };
}

/// <summary>
/// An incident's evidence export (<c>notifyhub-evidence/1</c>, docs/evidence.md): its events with their hashes, the anchors
/// from the first that covers it to the last, the inclusion proofs of its chain heads in them, and the public keys that sign
/// them. Ids, codes and times only: no personal data (events hold none).
/// </summary>
public static class EvidenceExport
{
    public const string Format = "notifyhub-evidence/1";

    /// <summary>
    /// The export. An event's hash is the one stored with it (computed here only for an event stored before the chain
    /// began); its <c>prev</c> is the stored hash of the event before, so an event changed in storage shows as one whose
    /// content no longer matches its hash.
    /// </summary>
    public static JsonObject Build(string incidentId, string force, string reference, IReadOnlyList<StoredEvent> events, IReadOnlyList<SignedAnchor> anchors,
        IReadOnlyList<Inclusion> inclusions, IReadOnlyDictionary<string, string> publicKeys, DateTimeOffset exportedAt)
    {
        var list = new JsonArray();
        var prev = EvidenceChain.Genesis;
        foreach (var e in events.OrderBy(e => e.Version))
        {
            var data = EvidenceChain.Data(e.Event);
            var at = LedgerEvent.Canonical(e.Event.At);
            var hash = e.Hash ?? EvidenceChain.Hash(EvidenceChain.Canonical(incidentId, e.Version, e.Event.Type, at, e.Event.Subject, (JsonObject)data.DeepClone(), prev));
            list.Add(new JsonObject
            {
                ["version"] = e.Version, ["type"] = e.Event.Type, ["at"] = at, ["subject"] = e.Event.Subject, ["data"] = data, ["prev"] = prev, ["hash"] = hash,
            });
            prev = hash;
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["incident"] = new JsonObject { ["id"] = incidentId, ["force"] = force, ["reference"] = reference },
            ["exportedAt"] = LedgerEvent.Canonical(exportedAt),
            ["events"] = list,
            ["anchors"] = new JsonArray([.. anchors.OrderBy(a => a.Read()?.Number ?? 0).Select(a => (JsonNode)a.ToJson())]),
            ["inclusions"] = new JsonArray([.. inclusions.OrderBy(i => i.Anchor).Select(i => (JsonNode)i.ToJson())]),
            ["keys"] = new JsonArray([.. publicKeys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (JsonNode)new JsonObject { ["keyId"] = k.Key, ["publicKey"] = k.Value })]),
        };
    }
}
