using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Tests.Evidence;

/// <summary>The evidence's pure parts: the canonical form, the Merkle tree against RFC 6962's published vectors, and the verifier against every kind of tampering.</summary>
public class EvidenceRulesTests
{
    // RFC 6962's test leaves and the roots of their first 1..8 (from the Certificate Transparency reference implementations' tests).
    private static readonly byte[][] VectorLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] VectorRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void The_Merkle_root_of_each_prefix_of_the_RFC_6962_test_leaves_is_the_published_one()
    {
        for (var n = 1; n <= VectorLeaves.Length; n++)
        {
            var tree = new MerkleTree([.. VectorLeaves.Take(n).Select(MerkleTree.LeafHash)]);
            Assert.Equal(VectorRoots[n - 1], Convert.ToHexStringLower(tree.Root));
        }
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(new MerkleTree([]).Root));
    }

    [Fact]
    public void Every_leafs_inclusion_proof_verifies_in_trees_of_every_size_to_70_and_fails_for_another_leaf_index_or_root()
    {
        for (var size = 1; size <= 70; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(Encoding.UTF8.GetBytes("leaf " + i))).ToArray();
            var tree = new MerkleTree(leaves);
            for (var i = 0; i < size; i++)
            {
                var path = tree.Path(i);
                Assert.True(MerkleTree.VerifyInclusion(i, size, leaves[i], path, tree.Root), $"leaf {i} of {size}");
                Assert.False(MerkleTree.VerifyInclusion(i, size, MerkleTree.LeafHash([1, 2, 3]), path, tree.Root));
                if (size > 1) Assert.False(MerkleTree.VerifyInclusion((i + 1) % size, size, leaves[i], path, tree.Root), $"leaf {i} of {size} at the wrong index");
                Assert.False(MerkleTree.VerifyInclusion(i, size, leaves[i], path, SHA256.HashData([9])));
            }
        }
    }

    [Fact]
    public void The_canonical_form_sorts_members_by_code_unit_escapes_only_what_JSON_requires_and_refuses_fractions()
    {
        var o = new JsonObject { ["b"] = 1, ["a"] = "x\"y\\z\n\u0001é€😀", ["A"] = true, ["é"] = null, ["a1"] = new JsonArray(1, "2", false) };
        Assert.Equal("{\"A\":true,\"a\":\"x\\\"y\\\\z\\n\\u0001é€😀\",\"a1\":[1,\"2\",false],\"b\":1,\"é\":null}", CanonicalJson.Text(o));
        Assert.Equal("{\"n\":-9007199254740993}", CanonicalJson.Text(JsonNode.Parse("{ \"n\" : -9007199254740993 }")));
        Assert.Throws<FormatException>(() => CanonicalJson.Text(JsonNode.Parse("{\"n\":1.5}")));
        Assert.Throws<FormatException>(() => CanonicalJson.Text(JsonNode.Parse("{\"n\":1e3}")));
    }

    [Fact]
    public void An_events_hash_is_the_SHA_256_of_its_canonical_bytes_with_the_hash_before_it()
    {
        var at = new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);
        var e = LedgerEvent.Of("delivery.acknowledged", at, "school-999001", ("role", "DSL"), ("byDue", true), ("attempt", 2), ("at", at));
        var expected = "{\"at\":\"2026-12-06T09:30:00.0000000Z\",\"data\":{\"at\":\"2026-12-06T09:30:00.0000000Z\",\"attempt\":2,\"byDue\":true,\"role\":\"DSL\"}," +
            "\"incident\":\"inc_1\",\"prev\":\"" + EvidenceChain.Genesis + "\",\"subject\":\"school-999001\",\"type\":\"delivery.acknowledged\",\"version\":1}";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), EvidenceChain.Hash("inc_1", 1, e, EvidenceChain.Genesis));
        Assert.NotEqual(EvidenceChain.Hash("inc_1", 1, e, EvidenceChain.Genesis), EvidenceChain.Hash("inc_2", 1, e, EvidenceChain.Genesis));
        Assert.NotEqual(EvidenceChain.Hash("inc_1", 1, e, EvidenceChain.Genesis), EvidenceChain.Hash("inc_1", 2, e, EvidenceChain.Genesis));
    }

    // An export made the way the hub makes one: events, an anchor over them with two other incidents' heads, signed.
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly Dictionary<string, ECDsa> Trusted = new() { [EvidenceSignature.KeyId(Key)] = Key };

    private static JsonObject Export(int events = 6, int anchoredThrough = 6, ECDsa? signer = null, int anchors = 2)
    {
        const string incident = "inc_rules";
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var stored = Enumerable.Range(1, events).Select(v => new StoredEvent(v, LedgerEvent.Of(v % 2 == 0 ? "delivery.delivered" : "delivery.routed",
            at.AddMinutes(v), "school-" + v, ("attempt", v), ("channel", "webhook")))).ToList();
        var hashes = EvidenceChain.Hashes(incident, stored);
        stored = [.. stored.Select((e, i) => e with { Hash = hashes[i] })];
        signer ??= Key;
        var signed = new List<SignedAnchor>();
        var inclusions = new List<Inclusion>();
        var prev = EvidenceChain.Genesis;
        for (var n = 1; n <= anchors; n++)
        {
            // The first anchor holds the chain part-way; the last holds it at anchoredThrough.
            var version = n == anchors ? anchoredThrough : Math.Max(1, anchoredThrough / 2);
            var leaves = new List<AnchorLeaf>
            {
                new("inc_a", "DEMO", "REF-0", 3, new string('a', 64)), new(incident, "DEMO", "REF-1", version, hashes[version - 1]), new("inc_z", "DEMO", "REF-2", 9, new string('b', 64)),
            };
            var tree = new MerkleTree([.. leaves.Select(l => l.Hash())]);
            var statement = new AnchorStatement(n, prev, Convert.ToHexStringLower(tree.Root), leaves.Count, at, at.AddDays(n), EvidenceSignature.KeyId(signer), at.AddDays(n));
            var json = statement.ToJson();
            signed.Add(new SignedAnchor(json, EvidenceSignature.Sign(signer, CanonicalJson.Bytes(json))));
            inclusions.Add(new Inclusion(n, version, hashes[version - 1], 1, leaves.Count, [.. tree.Path(1).Select(Convert.ToHexStringLower)]));
            prev = statement.Hash();
        }
        return EvidenceExport.Build(incident, "DEMO", "REF-1", stored, signed, inclusions,
            new Dictionary<string, string> { [EvidenceSignature.KeyId(signer)] = EvidenceSignature.PublicPem(signer) }, at.AddDays(9));
    }

    private static JsonObject Event(JsonObject export, int version) => export["events"]!.AsArray()[version - 1]!.AsObject();

    private static JsonObject Anchor(JsonObject export, int number) => export["anchors"]!.AsArray()[number - 1]!["statement"]!.AsObject();

    [Fact]
    public void A_whole_export_verifies_against_the_hubs_key_and_against_the_key_it_carries()
    {
        var report = EvidenceVerifier.Verify(JsonNode.Parse(Export().ToJsonString()), Trusted);
        Assert.Equal(VerifyOutcome.Verified, report.Outcome);
        Assert.Null(report.Failure);
        Assert.Equal(VerifyOutcome.Verified, EvidenceVerifier.Verify(Export(), null).Outcome);
    }

    public static TheoryData<string, string, long?, long?> Tampering => new()
    {
        { "one character of an event's particulars", "data", 3, null },
        { "an event's time", "at", 2, null },
        { "an event's type", "type", 5, null },
        { "an event's subject", "subject", 1, null },
        { "an event removed", "remove", 4, null },
        { "two events swapped", "swap", 2, null },
        { "an event inserted (itself well formed), the ones after renumbered", "insert", 4, null },
        { "an event rewritten with the chain after it recomputed", "rechain", null, 2 },
        { "the last event removed", "truncate", null, 2 },
        { "an anchor's root", "root", null, 1 },
        { "an anchor's cutoff", "cutoff", null, 2 },
        { "an anchor's link to the one before", "prev", null, 2 },
        { "an anchor removed from between two", "drop-anchor", null, 2 },
        { "an anchor's signature", "signature", null, 1 },
        { "the export relabelled as another incident of the force", "relabel", null, 1 },
        { "an anchor's stated hash", "stated-hash", null, 2 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Any_change_fails_verification_naming_the_first_event_or_anchor_it_touches(string change, string how, long? failedEvent, long? failedAnchor)
    {
        var export = Export(events: 6, anchors: how == "drop-anchor" ? 3 : 2);
        var events = export["events"]!.AsArray();
        switch (how)
        {
            case "data": Event(export, 3)["data"]!["channel"] = "webhooK"; break;
            case "at": Event(export, 2)["at"] = "2026-12-01T08:02:00.0000001Z"; break;
            case "type": Event(export, 5)["type"] = "delivery.acknowledged"; break;
            case "subject": Event(export, 1)["subject"] = "school-99"; break;
            case "remove": events.RemoveAt(3); break;
            case "swap":
                var second = Event(export, 2).DeepClone();
                events[1] = Event(export, 3).DeepClone();
                events[2] = second;
                break;
            case "insert":
                var inserted = EvidenceChain.Canonical("inc_rules", 3, "delivery.acknowledged", "2026-12-01T08:02:30.0000000Z", "school-2", new JsonObject(),
                    Event(export, 2)["hash"]!.GetValue<string>());
                inserted["hash"] = EvidenceChain.Hash((JsonObject)inserted.DeepClone());
                inserted.Remove("incident");
                for (var v = 3; v <= 6; v++) Event(export, v)["version"] = v + 1;
                events.Insert(2, inserted);
                break;
            case "rechain":
                // Whoever can write the table changes event 4 and recomputes every hash after it: the chain holds, the anchor does not.
                Event(export, 4)["data"]!["channel"] = "email";
                var prev = Event(export, 3)["hash"]!.GetValue<string>();
                for (var v = 4; v <= 6; v++)
                {
                    var e = Event(export, v);
                    e["prev"] = prev;
                    prev = EvidenceChain.Hash(EvidenceChain.Canonical("inc_rules", v, e["type"]!.GetValue<string>(), e["at"]!.GetValue<string>(),
                        e["subject"]?.GetValue<string>(), (JsonObject)e["data"]!.DeepClone(), prev));
                    e["hash"] = prev;
                }
                break;
            case "truncate": events.RemoveAt(5); break;
            case "root": Anchor(export, 1)["root"] = new string('0', 64); break;
            case "cutoff": Anchor(export, 2)["cutoff"] = "2026-12-04T08:00:00.0000000Z"; break;
            case "prev": Anchor(export, 2)["prev"] = new string('f', 64); break;
            case "relabel": export["incident"]!["reference"] = "REF-2"; break;
            case "stated-hash": export["anchors"]!.AsArray()[1]!["hash"] = new string('c', 64); break;
            case "drop-anchor": export["anchors"]!.AsArray().RemoveAt(1); break;
            case "signature":
                var anchor = export["anchors"]!.AsArray()[0]!.AsObject();
                var bytes = Convert.FromBase64String(anchor["signature"]!.GetValue<string>());
                bytes[10] ^= 1;
                anchor["signature"] = Convert.ToBase64String(bytes);
                break;
        }

        var report = EvidenceVerifier.Verify(JsonNode.Parse(export.ToJsonString()), Trusted);

        Assert.True(report.Outcome == VerifyOutcome.Failed, $"{change}: {report.Outcome} {report.Failure}");
        Assert.Equal(failedEvent, report.FailedEvent);
        Assert.Equal(failedAnchor, report.FailedAnchor);
        Assert.StartsWith(failedEvent is { } number ? $"Event {number}:" : $"Anchor {failedAnchor}:", report.Failure);
    }

    [Fact]
    public void An_anchor_signed_with_a_key_the_inspector_does_not_trust_fails_even_though_the_export_carries_that_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var export = Export(signer: other);
        var report = EvidenceVerifier.Verify(export, Trusted);
        Assert.Equal(VerifyOutcome.Failed, report.Outcome);
        Assert.Equal(1, report.FailedAnchor);
        Assert.Contains("not a key you trust", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_after_the_last_anchor_are_reported_as_not_yet_anchored_and_an_export_with_no_anchor_too()
    {
        var report = EvidenceVerifier.Verify(Export(events: 8, anchoredThrough: 6), Trusted);
        Assert.Equal(VerifyOutcome.NotYetAnchored, report.Outcome);
        Assert.Contains("Events 7–8 are not yet covered", report.Failure, StringComparison.Ordinal);

        var none = Export(events: 3, anchoredThrough: 3);
        none["anchors"] = new JsonArray();
        none["inclusions"] = new JsonArray();
        Assert.Equal(VerifyOutcome.NotYetAnchored, EvidenceVerifier.Verify(none, Trusted).Outcome);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"format\":\"something-else/1\"}")]
    [InlineData("{\"format\":\"notifyhub-evidence/1\",\"incident\":{\"id\":\"inc_1\"},\"events\":[{\"version\":\"1\"}],\"anchors\":[],\"inclusions\":[]}")]
    [InlineData("{\"format\":\"notifyhub-evidence/1\",\"incident\":{\"id\":\"inc_1\"},\"events\":[],\"anchors\":[{\"statement\":7}],\"inclusions\":[]}")]
    [InlineData("{\"format\":\"notifyhub-evidence/1\",\"incident\":{},\"events\":[],\"anchors\":[],\"inclusions\":[]}")]
    public void Something_that_is_not_an_export_is_unreadable_not_verified(string json)
    {
        var report = EvidenceVerifier.Verify(JsonNode.Parse(json), Trusted);
        Assert.Equal(VerifyOutcome.Unreadable, report.Outcome);
        Assert.False(string.IsNullOrEmpty(report.Failure));
    }
}
