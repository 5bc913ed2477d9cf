using System.Text.Json;

namespace NotifyHub.Storage;

/// <summary>How queue messages are written and read: web JSON (camelCase), keys and ids only.</summary>
internal static class QueueJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
