using System.Text.Json;
using Azure.Storage.Queues;
using NotifyHub.Telemetry;

namespace NotifyHub.Storage;

/// <summary>How queue messages are written and read: web JSON (camelCase), keys and ids only.</summary>
internal static class QueueJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>
/// The one way the hub sends a queue message. Messages never expire — a storage queue's default is
/// 7 days, after which an unprocessed message vanishes without trace — and a delay is always explicit.
/// </summary>
internal static class QueueSend
{
    /// <summary>Time-to-live −1: the message stays until it is processed or deleted.</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>The property a message carries the sender's W3C trace context in, when telemetry is on (never anything else).</summary>
    public const string TraceParentProperty = "traceparent";

    public static Task SendAsync<T>(this QueueClient queue, T message, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        if (HubTelemetry.CurrentTraceParent() is not { } traceParent)
            return queue.SendAsync(BinaryData.FromObjectAsJson(message, QueueJson.Options), cancellationToken, delay);
        var json = JsonSerializer.SerializeToNode(message, QueueJson.Options)!.AsObject();
        json[TraceParentProperty] = traceParent;
        return queue.SendAsync(BinaryData.FromString(json.ToJsonString(QueueJson.Options)), cancellationToken, delay);
    }

    public static async Task SendAsync(this QueueClient queue, BinaryData message, CancellationToken cancellationToken, TimeSpan? delay = null) =>
        await queue.SendMessageAsync(message, visibilityTimeout: delay, timeToLive: NeverExpires, cancellationToken: cancellationToken);
}
