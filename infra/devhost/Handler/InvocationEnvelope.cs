using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotifyHub.DevHost.Handler;

/// <summary>What the queue trigger knows about a message: the host's binding data, less QueueTrigger.</summary>
internal sealed record QueueMessageInfo(
    string Id, long DequeueCount, DateTimeOffset? InsertionTime, DateTimeOffset? ExpirationTime,
    DateTimeOffset? NextVisibleTime, string? PopReceipt);

/// <summary>A timer's persisted schedule status, as StorageScheduleMonitor keeps it.</summary>
internal sealed record ScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);

/// <summary>The <c>Metadata.sys</c> block every invocation carries.</summary>
internal sealed record InvocationSys(string MethodName, DateTimeOffset UtcNow, Guid RandGuid);

/// <summary>
/// Builds the body of <c>POST /{FunctionName}</c> exactly as the host does (research-platform §0, §1.3, §7).
/// Pure: tested byte for byte.
/// </summary>
internal static class InvocationEnvelope
{
    // Newtonsoft, which the host uses, escapes only what JSON requires; keep '<', '+' and friends literal too.
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A queue invocation. The message text is a string, so the host serializes it once more:
    /// <c>{"a":1}</c> arrives as <c>"Data":{"msg":"\"{\\\"a\\\":1}\""}</c>. Top-level non-array
    /// properties of a JSON object message are merged into Metadata, overwriting built-in keys.
    /// </summary>
    public static JsonObject ForQueue(string bindingName, string messageText, QueueMessageInfo message, InvocationSys sys)
    {
        var metadata = new JsonObject { ["DequeueCount"] = message.DequeueCount };
        AddIfNotNull(metadata, "ExpirationTime", message.ExpirationTime);
        metadata["Id"] = message.Id;
        AddIfNotNull(metadata, "InsertionTime", message.InsertionTime);
        AddIfNotNull(metadata, "NextVisibleTime", message.NextVisibleTime);
        if (message.PopReceipt is not null) metadata["PopReceipt"] = message.PopReceipt;
        foreach (var (name, value) in JsonProperties(messageText)) metadata[name] = value;
        metadata["sys"] = Sys(sys);

        return new JsonObject
        {
            ["Data"] = new JsonObject { [bindingName] = JsonSerializer.Serialize(messageText, Json) },
            ["Metadata"] = metadata,
        };
    }

    /// <summary>A timer invocation: the serialized TimerInfo is an object, so it is not double-encoded.</summary>
    public static JsonObject ForTimer(string bindingName, ScheduleStatus? status, bool isPastDue, InvocationSys sys)
    {
        JsonNode? scheduleStatus = status is null ? null : new JsonObject
        {
            ["Last"] = status.Last,
            ["Next"] = status.Next,
            ["LastUpdated"] = status.LastUpdated,
        };
        return new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [bindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = scheduleStatus,
                    ["IsPastDue"] = isPastDue,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = Sys(sys) },
        };
    }

    public static string Serialize(JsonObject envelope) => envelope.ToJsonString(Json);

    private static JsonObject Sys(InvocationSys sys) => new()
    {
        ["MethodName"] = sys.MethodName,
        ["UtcNow"] = sys.UtcNow.UtcDateTime,
        ["RandGuid"] = sys.RandGuid,
    };

    private static void AddIfNotNull(JsonObject target, string name, DateTimeOffset? value)
    {
        if (value is { } v) target[name] = v;
    }

    private static IEnumerable<(string Name, JsonNode Value)> JsonProperties(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{') return [];
        try
        {
            if (JsonNode.Parse(text) is not JsonObject json) return [];
            return json
                .Where(p => p.Value is not null and not JsonArray)
                .Select(p => (p.Key, p.Value!.DeepClone()))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
