using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Domain.Evidence;

/// <summary>
/// The hash chain of an incident's events. Each event's hash is SHA-256 over its canonical bytes: the RFC 8785 form of
/// <c>{"at", "data", "incident", "prev", "subject", "type", "version"}</c>, where <c>prev</c> is the previous event's hash
/// (64 zeros before the first). Changing, removing, inserting or reordering any event changes every hash after it.
/// </summary>
public static class EvidenceChain
{
    /// <summary>What the first event's <c>prev</c> is.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>An event's canonical object, as hashed and as exported (without its own hash).</summary>
    public static JsonObject Canonical(string incidentId, long version, string type, string at, string? subject, JsonObject data, string prev) => new()
    {
        ["at"] = at,
        ["data"] = data,
        ["incident"] = incidentId,
        ["prev"] = prev,
        ["subject"] = subject,
        ["type"] = type,
        ["version"] = version,
    };

    /// <summary>An event's particulars as the chain holds them: from the stored canonical data JSON.</summary>
    public static JsonObject Data(LedgerEvent e) => JsonNode.Parse(e.DataJson()) as JsonObject ?? [];

    public static string Hash(JsonObject canonical) => Hex(SHA256.HashData(CanonicalJson.Bytes(canonical)));

    /// <summary>The hash of event <paramref name="e"/> at <paramref name="version"/>, after <paramref name="prev"/>.</summary>
    public static string Hash(string incidentId, long version, LedgerEvent e, string prev) =>
        Hash(Canonical(incidentId, version, e.Type, LedgerEvent.Canonical(e.At), e.Subject, Data(e), prev));

    /// <summary>The chain over events in order from version 1: each event's hash, the last one the chain's head.</summary>
    public static IReadOnlyList<string> Hashes(string incidentId, IReadOnlyList<StoredEvent> events)
    {
        var hashes = new List<string>(events.Count);
        var prev = Genesis;
        foreach (var e in events)
        {
            prev = Hash(incidentId, e.Version, e.Event, prev);
            hashes.Add(prev);
        }
        return hashes;
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Whether a string is a SHA-256 in lowercase hex.</summary>
    public static bool IsHash(string? s) => s is { Length: 64 } && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
