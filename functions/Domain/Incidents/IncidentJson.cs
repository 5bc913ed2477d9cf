using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotifyHub.Domain.Incidents;

/// <summary>
/// The one canonical JSON form of a validated incident: what the hub stores, and what it hashes to
/// decide whether a retried POST is the same incident (so whitespace, field order and NHS-number
/// spacing do not count as a change).
/// </summary>
public static class IncidentJson
{
    public static byte[] Serialize(Incident incident) =>
        JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJsonContext.Default.Incident);

    public static Incident Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, IncidentJsonContext.Default.Incident)
        ?? throw new InvalidDataException("A stored incident payload is empty.");

    public static string Fingerprint(byte[] canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Incident))]
internal sealed partial class IncidentJsonContext : JsonSerializerContext;
