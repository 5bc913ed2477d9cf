using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Invocations;

namespace NotifyHub.DevHost.Queues;

/// <summary>
/// One queue-triggered function, with the queue extension's semantics (QueueListener/QueueProcessor):
/// a 10-minute lease per receive, delete on success, release with visibilityTimeout on failure,
/// and <c>&lt;queue&gt;-poison</c> after maxDequeueCount attempts.
/// </summary>
internal sealed class QueueListener
{
    /// <summary>How long a received message stays invisible while its invocation runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly QueueFunction _function;
    private readonly QueuesConfig _config;
    private readonly QueueClient _queue;
    private readonly QueueClient? _poison;
    private readonly Invoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UnexpectedFailures _failures;
    private bool _poisonCreated;

    public QueueListener(QueueFunction function, QueuesConfig config, QueueServiceClient queues,
        Invoker invoker, TimeProvider time, ILogger logger, UnexpectedFailures failures)
    {
        _function = function;
        _config = config;
        // The DevHost decodes base64 itself so the poison copy can keep the original text.
        _queue = queues.GetQueueClient(function.QueueName);
        _poison = PoisonQueueName(function.QueueName) is { } name ? queues.GetQueueClient(name) : null;
        _invoker = invoker;
        _time = time;
        _logger = logger;
        _failures = failures;
    }

    public QueueFunction Function => _function;

    /// <summary>
    /// Queues whose names already end in -poison, or are too long for the suffix, have none:
    /// a message that keeps failing there is retried whenever its lease lapses.
    /// </summary>
    public static string? PoisonQueueName(string queue) =>
        queue.EndsWith("-poison", StringComparison.Ordinal) || queue.Length + "-poison".Length > 63 ? null : queue + "-poison";

    public Task CreateQueueAsync(CancellationToken cancellationToken) => _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <summary>
    /// Polls until <paramref name="stopping"/>; invocations in flight run on until <paramref name="abort"/>. As the queue
    /// extension does, a batch runs concurrently and the next is fetched as soon as no more than newBatchThreshold of
    /// the messages received are still running, so at most batchSize + newBatchThreshold run at once and one slow
    /// message does not hold up the rest.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        var backoff = new PollingBackoff(_config.MaxPollingInterval);
        // Every task here is ProcessObservedAsync's, which never faults: one removed unawaited has nothing left to say.
        var running = new HashSet<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (running.Count > _config.NewBatchThreshold)
                {
                    // Said once per wait: why a queue with messages is not being read (and a test's proof that it is not).
                    Log.WaitingForBatch(_logger, _function.Name, _config.NewBatchThreshold, running.Count);
                    while (running.Count > _config.NewBatchThreshold)
                    {
                        running.Remove(await Task.WhenAny(running));
                    }
                }

                TimeSpan delay;
                try
                {
                    QueueMessage[] messages = await _queue.ReceiveMessagesAsync(Math.Min(_config.BatchSize, 32), Lease, stopping);
                    if (messages.Length == 0)
                    {
                        delay = backoff.Empty();
                    }
                    else
                    {
                        foreach (var message in messages) running.Add(ProcessObservedAsync(message, abort));
                        delay = backoff.Found();
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Storage down or unreachable, or a request that timed out (an OperationCanceledException that is not
                    // the stop): keep polling, with backoff, rather than let the listener end without a word.
                    Log.QueueOperationFailed(_logger, e, _function.Name);
                    delay = backoff.Empty();
                }

                try
                {
                    await Task.Delay(delay, _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                running.RemoveWhere(t => t.IsCompleted);
            }
        }
        finally
        {
            // Stopping: the invocations still running finish (or are aborted) before the listener is done.
            await Task.WhenAll(running);
        }
    }

    /// <summary>Runs the function once on <paramref name="messageText"/> without a queue (admin invoke).</summary>
    public Task<InvocationResult> InvokeDirectAsync(string messageText, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var message = new QueueMessageInfo(Guid.NewGuid().ToString(), 1, now, now.AddDays(7), now, null);
        return _invoker.InvokeAsync(_function, TriggerData.Queue(_function, messageText, message), "This function was programmatically called via the host APIs.", cancellationToken);
    }

    /// <summary>
    /// ProcessAsync handles the failures it expects (the function's, storage's) itself; this is the net for anything
    /// else — an OperationCanceledException that is not the abort, say, or a failure while releasing — so that every
    /// message's task is observed: the failure is logged with the message's id and counted, and the loop's
    /// WhenAny/WhenAll never meet a faulted task. The message is not lost: unless storage had already deleted it, it
    /// is received again when its lease lapses.
    /// </summary>
    private async Task ProcessObservedAsync(QueueMessage message, CancellationToken abort)
    {
        try
        {
            await ProcessAsync(message, abort);
        }
        catch (Exception e)
        {
            // Counted first: whoever sees the log entry sees the count that goes with it.
            _failures.Add();
            Log.ProcessingFailed(_logger, e, message.MessageId, _function.Name, Lease);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken abort)
    {
        var receipt = new Receipt(message.PopReceipt);
        try
        {
            if (message.DequeueCount > _config.MaxDequeueCount)
            {
                await PoisonAsync(message, receipt, abort);
                return;
            }

            var text = message.Body.ToString();
            if (_config.MessageEncoding == MessageEncoding.Base64)
            {
                if (!TryDecodeBase64(text, out var decoded))
                {
                    // It can never succeed; the poison queue makes that visible instead of retrying forever.
                    Log.Undecodable(_logger, message.MessageId, _function.Name);
                    await PoisonAsync(message, receipt, abort);
                    return;
                }
                text = decoded;
            }

            var info = new QueueMessageInfo(message.MessageId, message.DequeueCount, message.InsertedOn,
                message.ExpiresOn, message.NextVisibleOn, message.PopReceipt);
            var data = TriggerData.Queue(_function, text, info);

            InvocationResult result;
            using (var renewal = CancellationTokenSource.CreateLinkedTokenSource(abort))
            {
                var renewing = KeepLeaseAsync(message.MessageId, receipt, renewal.Token);
                try
                {
                    result = await _invoker.InvokeAsync(_function, data, $"New queue message detected on '{_function.QueueName}'.", abort);
                }
                finally
                {
                    await renewal.CancelAsync();
                    await renewing;
                }
            }

            if (result.Succeeded)
            {
                await _queue.DeleteMessageAsync(message.MessageId, receipt.Value, abort);
            }
            else if (message.DequeueCount >= _config.MaxDequeueCount)
            {
                await PoisonAsync(message, receipt, abort);
            }
            else
            {
                await _queue.UpdateMessageAsync(message.MessageId, receipt.Value, visibilityTimeout: _config.VisibilityTimeout, cancellationToken: abort);
                Log.Released(_logger, message.MessageId, _function.Name, message.DequeueCount, _config.VisibilityTimeout);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopped mid-invocation: make the message visible again now rather than after the lease.
            await ReleaseQuietlyAsync(message.MessageId, receipt.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // E.g. the lease lapsed and another receiver owns the message now, or storage is down:
            // the message is not lost, it reappears when its lease lapses.
            Log.QueueOperationFailed(_logger, e, _function.Name);
        }
    }

    private async Task PoisonAsync(QueueMessage message, Receipt receipt, CancellationToken cancellationToken)
    {
        if (_poison is null)
        {
            Log.NoPoisonQueue(_logger, message.MessageId, _function.Name, _function.QueueName, message.DequeueCount);
            return;
        }
        if (!_poisonCreated)
        {
            await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _poisonCreated = true;
        }
        // The original text, still encoded: the poison queue holds exactly what was sent.
        await _poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await _queue.DeleteMessageAsync(message.MessageId, receipt.Value, cancellationToken);
        Log.MovedToPoison(_logger, message.MessageId, _function.Name, _poison.Name, message.DequeueCount);
    }

    /// <summary>Renews the message's lease at half its length while the invocation runs.</summary>
    private async Task KeepLeaseAsync(string messageId, Receipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 2, _time, cancellationToken);
                var updated = await _queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: Lease, cancellationToken: cancellationToken);
                receipt.Value = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            Log.QueueOperationFailed(_logger, e, _function.Name);
        }
    }

    private async Task ReleaseQuietlyAsync(string messageId, string popReceipt)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            // The lease will lapse on its own.
        }
    }

    private static bool TryDecodeBase64(string text, out string decoded)
    {
        var buffer = new byte[(text.Length * 3 + 3) / 4];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            try
            {
                decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
                return true;
            }
            catch (DecoderFallbackException)
            {
            }
        }
        decoded = "";
        return false;
    }

    /// <summary>The message's current pop receipt; renewing the lease replaces it.</summary>
    private sealed class Receipt(string value)
    {
        public volatile string Value = value;
    }
}
