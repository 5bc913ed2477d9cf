using System.Text.Json;
using Azure.Storage.Queues;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// Every message on a queue, however many (a peek shows at most 32): each is received, read and made visible
/// again. For queues nothing consumes in the test at hand.
/// </summary>
public static class QueueScan
{
    public static async Task<IReadOnlyList<T>> MessagesAsync<T>(QueueClient queue) =>
        (await TextsAsync(queue)).Select(text => JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web)!).ToList();

    /// <summary>The body of every message as the client reads it (undecoded when the client does no decoding).</summary>
    public static async Task<IReadOnlyList<string>> TextsAsync(QueueClient queue)
    {
        if (!await queue.ExistsAsync()) return [];
        var received = new List<Azure.Storage.Queues.Models.QueueMessage>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (batch.Length == 0) break;
            received.AddRange(batch);
        }
        foreach (var message in received) await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        return received.Select(m => m.Body.ToString()).ToList();
    }
}
