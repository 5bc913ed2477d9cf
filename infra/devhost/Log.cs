using Microsoft.Extensions.Logging;

namespace NotifyHub.DevHost;

/// <summary>Every operational event the DevHost logs. Message bodies are never logged.</summary>
internal static partial class Log
{
    // 1xx: start-up, the worker and storage
    [LoggerMessage(100, LogLevel.Information, "Started worker process {ProcessId} (worker id {WorkerId})")]
    public static partial void WorkerStarted(ILogger logger, int processId, string workerId);

    [LoggerMessage(101, LogLevel.Information, "Worker process {ProcessId} is ready with {FunctionCount} functions after {ElapsedMs} ms")]
    public static partial void WorkerReady(ILogger logger, int processId, int functionCount, long elapsedMs);

    [LoggerMessage(102, LogLevel.Information, "{Line}")]
    public static partial void WorkerOutput(ILogger logger, string line);

    [LoggerMessage(113, LogLevel.Warning, "{Line}")]
    public static partial void WorkerError(ILogger logger, string line);

    [LoggerMessage(103, LogLevel.Warning, "The worker exited unexpectedly (exit code {ExitCode}); restart attempt {Attempt} in {DelayMs} ms")]
    public static partial void WorkerExited(ILogger logger, int? exitCode, int attempt, long delayMs);

    [LoggerMessage(104, LogLevel.Information, "Started Azurite (blob {BlobPort}, queue {QueuePort}, table {TablePort}) with data in {Folder}")]
    public static partial void AzuriteStarted(ILogger logger, int blobPort, int queuePort, int tablePort, string folder);

    [LoggerMessage(105, LogLevel.Information, "DevHost listening on {Address} with {FunctionCount} functions")]
    public static partial void Listening(ILogger logger, Uri address, int functionCount);

    [LoggerMessage(106, LogLevel.Information, "DevHost stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(107, LogLevel.Warning, "In-flight invocations did not finish within {GraceMs} ms of the stop; cancelling them")]
    public static partial void GraceExpired(ILogger logger, long graceMs);

    [LoggerMessage(108, LogLevel.Error, "Restart attempt {Attempt} of the worker failed")]
    public static partial void WorkerRestartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(109, LogLevel.Warning, "Recycling worker process {ProcessId}: {Reason}")]
    public static partial void WorkerRecycled(ILogger logger, int processId, string reason);

    [LoggerMessage(110, LogLevel.Critical, "The worker could not be restarted; the DevHost is stopping")]
    public static partial void GaveUp(ILogger logger, Exception exception);

    [LoggerMessage(111, LogLevel.Information, "Worker process {ProcessId} stopped after WorkerTerminate (exit code {ExitCode})")]
    public static partial void WorkerStopped(ILogger logger, int processId, int exitCode);

    [LoggerMessage(112, LogLevel.Warning, "Worker process {ProcessId} did not stop within {GraceMs} ms of WorkerTerminate; killing it")]
    public static partial void WorkerKilled(ILogger logger, int processId, long graceMs);

    // 2xx: invocations
    [LoggerMessage(200, LogLevel.Information, "Executing 'Functions.{Function}' (Reason='{Reason}', Id={InvocationId})")]
    public static partial void Executing(ILogger logger, string function, string reason, Guid invocationId);

    [LoggerMessage(201, LogLevel.Information, "Executed 'Functions.{Function}' (Succeeded, Id={InvocationId}, Duration={DurationMs}ms)")]
    public static partial void Succeeded(ILogger logger, string function, Guid invocationId, long durationMs);

    [LoggerMessage(202, LogLevel.Error, "Executed 'Functions.{Function}' (Failed, Id={InvocationId}, Duration={DurationMs}ms): {Reason}")]
    public static partial void Failed(ILogger logger, string function, Guid invocationId, long durationMs, string reason);

    [LoggerMessage(203, LogLevel.Error, "Running '{Function}' through the admin API failed")]
    public static partial void AdminRunFailed(ILogger logger, Exception exception, string function);

    // 3xx: queues
    [LoggerMessage(300, LogLevel.Warning, "Message {MessageId} of '{Function}' moved to {PoisonQueue} after {DequeueCount} attempts")]
    public static partial void MovedToPoison(ILogger logger, string messageId, string function, string poisonQueue, long dequeueCount);

    [LoggerMessage(301, LogLevel.Warning, "Message {MessageId} of '{Function}' failed (attempt {DequeueCount}); visible again in {VisibilityTimeout}")]
    public static partial void Released(ILogger logger, string messageId, string function, long dequeueCount, TimeSpan visibilityTimeout);

    [LoggerMessage(302, LogLevel.Error, "Message {MessageId} of '{Function}' is not valid base64 (host.json messageEncoding is base64); it can never succeed")]
    public static partial void Undecodable(ILogger logger, string messageId, string function);

    [LoggerMessage(303, LogLevel.Error, "Message {MessageId} of '{Function}' failed {DequeueCount} times but queue {Queue} has no poison queue; it stays invisible until its lease lapses")]
    public static partial void NoPoisonQueue(ILogger logger, string messageId, string function, string queue, long dequeueCount);

    [LoggerMessage(304, LogLevel.Warning, "Queue operation for '{Function}' failed")]
    public static partial void QueueOperationFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(305, LogLevel.Error, "Message {MessageId} of '{Function}' failed unexpectedly; unless storage had already deleted it, it is received again when its lease ({Lease}) lapses")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string messageId, string function, TimeSpan lease);

    [LoggerMessage(306, LogLevel.Debug, "'{Function}' fetches no more messages until no more than newBatchThreshold ({NewBatchThreshold}) of the {Running} it is running still run")]
    public static partial void WaitingForBatch(ILogger logger, string function, int newBatchThreshold, int running);

    // 4xx: timers
    // The missed occurrence is not the time the run is for: the function runs now, once, however many it missed (as the host).
    [LoggerMessage(400, LogLevel.Information, "Timer '{Function}' missed its run due at {Due:u} (UTC) while no host was running; running it once now, then on schedule")]
    public static partial void PastDue(ILogger logger, string function, DateTimeOffset due);

    [LoggerMessage(401, LogLevel.Debug, "Timer '{Function}' occurrence {Occurrence} was already taken by another instance")]
    public static partial void OccurrenceTaken(ILogger logger, string function, DateTimeOffset occurrence);

    [LoggerMessage(402, LogLevel.Information, "Timer '{Function}': this instance holds the listener lock")]
    public static partial void LockAcquired(ILogger logger, string function);

    [LoggerMessage(403, LogLevel.Warning, "Timer '{Function}': lost the listener lock")]
    public static partial void LockLost(ILogger logger, Exception? exception, string function);

    [LoggerMessage(404, LogLevel.Warning, "Timer '{Function}' failed to run")]
    public static partial void TimerError(ILogger logger, Exception exception, string function);

    [LoggerMessage(405, LogLevel.Warning, "Timer '{Function}': the schedule status blob {Blob} is unreadable; it will be replaced at the next occurrence")]
    public static partial void StatusUnreadable(ILogger logger, string function, string blob);

    // 5xx: HTTP front door
    [LoggerMessage(501, LogLevel.Information, "Executed '{Function}' ({Method} /{Route}) -> {StatusCode} in {DurationMs} ms (proxied)")]
    public static partial void Forwarded(ILogger logger, string function, string method, string route, int statusCode, long durationMs);

    [LoggerMessage(502, LogLevel.Debug, "Could not reach the worker's HTTP server ({Error}); attempt {Attempt} of {MaxAttempts}, retrying in {DelayMs} ms")]
    public static partial void ProxyRetry(ILogger logger, string error, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(500, LogLevel.Warning, "Proxying {Method} /{Route} to '{Function}' failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string method, string route, string function, string error);
}
