using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Worker;

/// <summary>
/// Turns the worker's <c>RpcLog</c> messages into the DevHost's structured logs: the worker's category
/// and level, host.json's <c>logging.logLevel</c> applied, and every line tagged with the function and
/// invocation it belongs to.
/// </summary>
internal sealed class WorkerLogRelay(ILoggerFactory loggers, LogLevels levels, Func<string, string?> functionOf)
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public void Relay(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        var category = string.IsNullOrEmpty(log.Category) ? "Worker" : log.Category;
        if (level == LogLevel.None || level < levels.For(category)) return;
        var logger = _loggers.GetOrAdd(category, loggers.CreateLogger);
        if (!logger.IsEnabled(level)) return;

        var invocationId = log.InvocationId ?? "";
        var function = invocationId.Length > 0 ? functionOf(invocationId) ?? "" : "";
        var exception = log.Exception is { } e ? new WorkerException(e) : null;
        logger.Log(level, new EventId(0, log.EventId), new WorkerLogEntry(log.Message, function, invocationId), exception, static (entry, _) => entry.ToString());
    }

    /// <summary>The structured state of a relayed line: its text, and the function and invocation it belongs to.</summary>
    private sealed class WorkerLogEntry(string message, string function, string invocationId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values =
        [
            new("Message", message), new("Function", function), new("InvocationId", invocationId),
            new("{OriginalFormat}", function.Length > 0 ? "[{Function} {InvocationId}] {Message}" : "{Message}"),
        ];

        public KeyValuePair<string, object?> this[int index] => _values[index];
        public int Count => _values.Length;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();

        public override string ToString() => function.Length > 0 ? $"[{function} {invocationId}] {message}" : message;
    }
}

/// <summary>An exception the worker reported, carried into the DevHost's logs with its type and stack trace.</summary>
internal sealed class WorkerException(RpcException exception) : Exception(exception.Message)
{
    public string? WorkerType { get; } = exception.Type;
    public override string? StackTrace { get; } = exception.StackTrace;
    public override string ToString() => $"{WorkerType ?? "Exception"}: {Message}{Environment.NewLine}{StackTrace}".TrimEnd();
}
