using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace NotifyHub.TestWorker;

/// <summary>
/// <c>Record</c> writes down what it received, then behaves as the message says: <c>fail</c> throws;
/// <c>fail-until:N</c> throws until the N-th attempt; <c>sleep</c> waits until cancelled; <c>stubborn</c>
/// ignores cancellation for a minute; <c>block:{file}</c> waits until that file exists.
/// </summary>
public sealed class QueueFunctions(ILogger<QueueFunctions> logger)
{
    [Function("Record")]
    public async Task RecordAsync([QueueTrigger("%RecordQueue%")] string message, long dequeueCount, FunctionContext context, CancellationToken cancellationToken)
    {
        var data = context.BindingContext.BindingData;
        Recorder.Write("Record", new
        {
            text = message,
            dequeueCount,
            metadataDequeueCount = data.TryGetValue("DequeueCount", out var count) ? count?.ToString() : null,
            id = data.TryGetValue("Id", out var id) ? id?.ToString() : null,
            popReceipt = data.TryGetValue("PopReceipt", out var pop) ? pop?.ToString() : null,
            insertionTime = data.TryGetValue("InsertionTime", out var inserted) ? inserted?.ToString() : null,
            expirationTime = data.TryGetValue("ExpirationTime", out var expires) ? expires?.ToString() : null,
            nextVisibleTime = data.TryGetValue("NextVisibleTime", out var visible) ? visible?.ToString() : null,
            queueTrigger = data.TryGetValue("QueueTrigger", out var trigger) ? trigger?.ToString() : null,
            invocationId = context.InvocationId,
            processId = Environment.ProcessId,
        });
        logger.LogInformation("Record received attempt {DequeueCount}", dequeueCount);

        if (message == "fail") throw new InvalidOperationException("failing as asked");
        if (message.StartsWith("fail-until:", StringComparison.Ordinal) && dequeueCount < long.Parse(message["fail-until:".Length..]))
            throw new InvalidOperationException("failing until attempt " + message["fail-until:".Length..]);
        if (message == "sleep") await Task.Delay(Timeout.Infinite, cancellationToken);
        if (message == "stubborn") Thread.Sleep(TimeSpan.FromMinutes(1));
        if (message.StartsWith("block:", StringComparison.Ordinal))
        {
            var file = message["block:".Length..];
            for (var waited = 0; waited < 600 && !File.Exists(file); waited++) await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>An SDK type: the worker binds it from the model binding data the host sends (deferred binding).</summary>
    [Function("RecordSdk")]
    public static void RecordSdk([QueueTrigger("%SdkQueue%")] QueueMessage message) =>
        Recorder.Write("RecordSdk", new { message.MessageId, text = message.Body.ToString(), message.DequeueCount, message.PopReceipt });
}
