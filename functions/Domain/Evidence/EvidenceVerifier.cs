using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NotifyHub.Domain.Evidence;

/// <summary>How a verification ended; the CLI's exit code is the number.</summary>
public enum VerifyOutcome
{
    /// <summary>Every event chains, every anchor is signed and chains to the one before, and every event is covered by an anchor.</summary>
    Verified = 0,
    /// <summary>Something was changed, removed, inserted or reordered: <see cref="VerifyReport.Failure"/> names the first event or anchor.</summary>
    Failed = 1,
    /// <summary>The file or the arguments could not be read: not an evidence export, or not a public key.</summary>
    Unreadable = 2,
    /// <summary>Everything in the export verifies, but its newest events are not yet covered by an anchor (they will be by the next).</summary>
    NotYetAnchored = 3,
}

/// <summary>What a verification found: the outcome, the first failure (if any) and what was checked, for people.</summary>
public sealed record VerifyReport(VerifyOutcome Outcome, string? Failure, IReadOnlyList<string> Checked)
{
    /// <summary>The event whose check failed first, when it was an event.</summary>
    public long? FailedEvent { get; init; }
    /// <summary>The anchor whose check failed first, when it was an anchor.</summary>
    public long? FailedAnchor { get; init; }
}

/// <summary>
/// Checks an evidence export offline (docs/evidence.md, "Verifying"): the events' hash chain, the anchors' signatures and
/// their chain, and the inclusion proofs that tie the incident's chain heads to the anchors' Merkle roots. Pure: the caller
/// reads the file and the keys.
/// </summary>
public static class EvidenceVerifier
{
    /// <param name="trusted">The public keys to trust, by key id; null trusts the keys in the export (it then proves the export
    /// is whole, not who signed it).</param>
    public static VerifyReport Verify(JsonNode? export, IReadOnlyDictionary<string, ECDsa>? trusted)
    {
        var checkedList = new List<string>();
        VerifyReport Unreadable(string why) => new(VerifyOutcome.Unreadable, why, checkedList);
        VerifyReport EventFails(long version, string why) => new(VerifyOutcome.Failed, $"Event {version}: {why}", checkedList) { FailedEvent = version };
        VerifyReport AnchorFails(long number, string why) => new(VerifyOutcome.Failed, $"Anchor {number}: {why}", checkedList) { FailedAnchor = number };

        if (export is not JsonObject root || Str(root, "format") != EvidenceExport.Format)
            return Unreadable($"This is not a NotifyHub evidence export (format {EvidenceExport.Format}).");
        if (root["incident"] is not JsonObject incident || Str(incident, "id") is not { Length: > 0 } incidentId || Str(incident, "force") is not { } force
            || Str(incident, "reference") is not { } reference)
            return Unreadable("The export names no incident (incident.id, force and reference).");
        if (root["events"] is not JsonArray events || root["anchors"] is not JsonArray anchors || root["inclusions"] is not JsonArray inclusions)
            return Unreadable("The export lacks its events, anchors or inclusions.");

        // 1. The events' chain.
        var hashes = new List<string>(events.Count);
        var prev = EvidenceChain.Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            var expected = i + 1L;
            if (events[i] is not JsonObject e || Num(e, "version") is not { } version || Str(e, "type") is not { } type || Str(e, "at") is not { } at
                || e["data"] is not JsonObject data || !EvidenceChain.IsHash(Str(e, "prev")) || !EvidenceChain.IsHash(Str(e, "hash"))
                || (e["subject"] is not null && Str(e, "subject") is null))
                return Unreadable($"Event at position {expected} is not an event (version, type, at, subject, data, prev, hash).");
            if (version != expected)
            {
                var later = events.Skip(i + 1).Any(x => x is JsonObject o && Num(o, "version") == expected);
                return EventFails(expected, later ? $"is out of order: event {version} comes before it"
                    : version > expected ? $"is missing: the events go from {expected - 1} to {version}"
                    : $"is out of place: event {version} comes again where {expected} should");
            }
            if (Str(e, "prev") != prev)
                return EventFails(version, $"does not follow event {version - 1}: its prev is not event {version - 1}'s hash (an event was inserted, removed or reordered)");
            string computed;
            try
            {
                computed = EvidenceChain.Hash(EvidenceChain.Canonical(incidentId, version, type, at, Str(e, "subject"), (JsonObject)data.DeepClone(), prev));
            }
            catch (FormatException f)
            {
                return EventFails(version, "holds a value evidence never holds: " + f.Message);
            }
            if (computed != Str(e, "hash")) return EventFails(version, "its content does not match its hash: it was changed after it was written");
            hashes.Add(computed);
            prev = computed;
        }
        checkedList.Add(events.Count == 0 ? "No events." : $"{Range("Event", 1, events.Count)} chain from the first to the last (head {prev[..16]}…).");

        // 2. The keys.
        var keys = trusted;
        var own = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        if (keys is null)
        {
            foreach (var k in root["keys"] as JsonArray ?? [])
            {
                if (k is JsonObject ko && Str(ko, "publicKey") is { } pem && EvidenceSignature.ReadPublic(pem) is ({ } key, null))
                    own[EvidenceSignature.KeyId(key)] = key;
            }
            keys = own;
        }

        // 3. The anchors: each signed, each after the one before.
        var read = new Dictionary<long, (AnchorStatement Statement, JsonObject Json)>();
        AnchorStatement? before = null;
        string? beforeHash = null;
        foreach (var node in anchors)
        {
            if (node is not JsonObject a || a["statement"] is not JsonObject statementJson || AnchorStatement.Read(statementJson) is not { } statement)
                return Unreadable("An anchor in the export is not an anchor (statement, signature).");
            byte[] bytes;
            try
            {
                bytes = CanonicalJson.Bytes(statementJson);
            }
            catch (FormatException f)
            {
                return AnchorFails(statement.Number, "holds a value an anchor never holds: " + f.Message);
            }
            if (before is not null && statement.Number != before.Number + 1)
                return AnchorFails(before.Number + 1, statement.Number > before.Number + 1
                    ? $"is missing: the anchors go from {before.Number} to {statement.Number}"
                    : $"is out of place: anchor {statement.Number} comes where {before.Number + 1} should");
            if (!keys.TryGetValue(statement.KeyId, out var signer))
                return AnchorFails(statement.Number, $"is signed with key {statement.KeyId}, which is not a key you trust{(trusted is null ? " (nor one in the export)" : "")}");
            if (!EvidenceSignature.Verify(signer, bytes, Str(a, "signature")))
                return AnchorFails(statement.Number, "its signature does not verify: the anchor was changed after the hub signed it, or someone else signed it");
            var hash = EvidenceChain.Hex(SHA256.HashData(bytes));
            if (a["hash"] is not null && Str(a, "hash") != hash)
                return AnchorFails(statement.Number, "its stated hash is not the hash of its statement: compare anchors by the hash of their statements, not by this member");
            if (beforeHash is not null && statement.Prev != beforeHash)
                return AnchorFails(statement.Number, $"does not follow anchor {before!.Number}: its prev is not anchor {before.Number}'s hash");
            read[statement.Number] = (statement, statementJson);
            before = statement;
            beforeHash = hash;
        }
        if (read.Count > 0)
            checkedList.Add(read.Count == 1
                ? $"Anchor {read.Keys.Single()}: signed with a {(trusted is null ? "key in the export" : "key you trust")}."
                : $"Anchors {read.Keys.Min()}–{read.Keys.Max()}: each signed with a {(trusted is null ? "key in the export" : "key you trust")} and chained to the one before.");

        // 4. The inclusions: the incident's chain heads in the anchors' trees.
        var covered = 0L;
        foreach (var node in inclusions)
        {
            if (node is not JsonObject inc || Num(inc, "anchor") is not { } number || Num(inc, "version") is not { } version || Str(inc, "chainHash") is not { } chainHash
                || Num(inc, "leafIndex") is not { } index || Num(inc, "treeSize") is not { } size || inc["path"] is not JsonArray pathJson)
                return Unreadable("An inclusion in the export is not an inclusion (anchor, version, chainHash, leafIndex, treeSize, path).");
            if (!read.TryGetValue(number, out var anchor))
                return AnchorFails(number, "is named by an inclusion proof but is not in the export");
            if (version < 1 || version > hashes.Count)
                return AnchorFails(number, $"covers version {version} of the incident, but the export's events go to {hashes.Count}: events were removed");
            if (hashes[(int)version - 1] != chainHash)
                return AnchorFails(number, $"signed the incident's chain at version {version} as {chainHash[..16]}…, but the events give {hashes[(int)version - 1][..16]}…: events up to {version} were changed after anchor {number}");
            if (size != anchor.Statement.Leaves)
                return AnchorFails(number, $"has {anchor.Statement.Leaves} leaves, but the inclusion proof says {size}");
            var path = new List<byte[]>();
            foreach (var p in pathJson)
            {
                var text = p is JsonValue pv && pv.TryGetValue<string>(out var s) ? s : null;
                if (!EvidenceChain.IsHash(text)) return Unreadable($"The inclusion proof in anchor {number} holds something that is not a hash.");
                path.Add(Convert.FromHexString(text!));
            }
            var leaf = new AnchorLeaf(incidentId, force, reference, version, chainHash).Hash();
            if (!EvidenceChain.IsHash(anchor.Statement.Root) || !MerkleTree.VerifyInclusion(index, size, leaf, path, Convert.FromHexString(anchor.Statement.Root)))
                return AnchorFails(number, $"does not hold incident {incidentId} ({force} {reference}) at version {version}: the inclusion proof does not lead to its root");
            covered = Math.Max(covered, version);
            checkedList.Add($"Anchor {number} holds the chain at version {version} (leaf {index} of {size}).");
        }

        if (hashes.Count == 0) return new VerifyReport(VerifyOutcome.Verified, null, checkedList);
        if (covered < hashes.Count)
            return new VerifyReport(VerifyOutcome.NotYetAnchored,
                covered == 0 ? $"No anchor covers these events yet: {Range("event", 1, hashes.Count)} chain, but nothing signed holds them. Export again after the next anchor."
                    : $"{Range("Event", covered + 1, hashes.Count)} {(covered + 1 == hashes.Count ? "is" : "are")} not yet covered by an anchor ({Range("event", 1, covered)} {(covered == 1 ? "is" : "are")}). Export again after the next anchor.",
                checkedList);
        return new VerifyReport(VerifyOutcome.Verified, null, checkedList);
    }

    /// <summary>"Event 3", or "Events 1–4".</summary>
    private static string Range(string noun, long first, long last) => first == last ? $"{noun} {first}" : $"{noun}s {first}–{last}";

    private static string? Str(JsonObject o, string name) => EvidenceJson.String(o, name);

    private static long? Num(JsonObject o, string name) => EvidenceJson.Number(o, name);
}
