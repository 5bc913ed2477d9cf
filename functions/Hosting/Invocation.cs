using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotifyHub.Hosting;

/// <summary>
/// The Functions host's invocation envelope for non-HTTP functions: <c>POST /{FunctionName}</c> with
/// <c>{"Data":{binding: value},"Metadata":{…}}</c> (research-platform.md §1.3).
/// </summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata)
{
    /// <summary>
    /// The text of a queue message bound as <paramref name="binding"/>. The host JSON-encodes string
    /// trigger data a second time (research-platform.md §0.1), so a message <c>{"a":1}</c> arrives as
    /// the JSON string <c>"\"{\\\"a\\\":1}\""</c>; both layers are undone here, and a value the host
    /// sent encoded only once is accepted too.
    /// </summary>
    public string QueueMessageText(string binding)
    {
        var value = Binding(binding);
        if (value.ValueKind != JsonValueKind.String) return value.GetRawText();
        var outer = value.GetString()!;
        if (outer.Length >= 2 && outer[0] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize(outer, InvocationJsonContext.Default.String) ?? "";
            }
            catch (JsonException)
            {
                // Not a JSON string after all: the text itself starts with a quote.
            }
        }
        return outer;
    }

    public T Trigger<T>(string binding, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        Binding(binding).Deserialize(type) ?? throw new InvalidInvocationException($"Binding '{binding}' is null.");

    public long DequeueCount =>
        Metadata is not null && Metadata.TryGetValue("DequeueCount", out var count) && count.TryGetInt64(out var n) ? n : 0;

    private JsonElement Binding(string binding) =>
        Data is not null && Data.TryGetValue(binding, out var value)
            ? value
            : throw new InvalidInvocationException($"The invocation has no data for binding '{binding}'.");
}

/// <summary>What a non-HTTP function answers: 2xx with this body means success; anything else fails the invocation.</summary>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] Dictionary<string, JsonElement> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] JsonElement? ReturnValue)
{
    public static InvocationResult Success(params string[] logs) => new([], logs, null);
}

/// <summary>The Data of a timer trigger (the host's serialized TimerInfo).</summary>
public sealed record TimerInfo(
    [property: JsonPropertyName("ScheduleStatus")] TimerScheduleStatus? ScheduleStatus,
    [property: JsonPropertyName("IsPastDue")] bool IsPastDue);

public sealed record TimerScheduleStatus(
    [property: JsonPropertyName("Last")] DateTimeOffset Last,
    [property: JsonPropertyName("Next")] DateTimeOffset Next,
    [property: JsonPropertyName("LastUpdated")] DateTimeOffset LastUpdated);

/// <summary>The envelope itself is malformed: the host sent something this handler cannot read.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);

[JsonSerializable(typeof(InvocationRequest))]
[JsonSerializable(typeof(InvocationResult))]
[JsonSerializable(typeof(TimerInfo))]
[JsonSerializable(typeof(string))]
internal sealed partial class InvocationJsonContext : JsonSerializerContext;
