using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotifyHub.Domain.Evidence;

/// <summary>Reading the members of an export's objects, whatever kind of JSON value backs them.</summary>
internal static class EvidenceJson
{
    public static string? String(JsonObject o, string key) => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long? Number(JsonObject o, string key) =>
        o[key] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number ? null
        : v.TryGetValue<long>(out var n) ? n : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<JsonElement>(out var e) && e.TryGetInt64(out var m) ? m : null;

    public static DateTimeOffset? Instant(JsonObject o, string key) =>
        String(o, key) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
