using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NotifyHub.DevHost;

/// <summary>
/// Invocations started outside a listener loop (admin), so shutdown can wait for them, and so that one nobody awaits
/// (answered 202) cannot fail unseen.
/// </summary>
internal sealed class InFlight(UnexpectedFailures failures, ILogger logger)
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public Task<T> Track<T>(string function, Task<T> task)
    {
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t =>
        {
            _running.TryRemove(t, out _);
            // A function's own failure is a result, not an exception; this is a failure before it ran (reading a
            // timer's status, say). Answered 202, nobody else looks at the task: it is seen here or nowhere.
            if (t.Exception is { } e)
            {
                failures.Add();
                Log.AdminRunFailed(logger, e.InnerExceptions.Count == 1 ? e.InnerExceptions[0] : e, function);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Completes when every tracked invocation has ended, however it ended.</summary>
    public Task WhenAllAsync() =>
        Task.WhenAll(_running.Keys.Select(t => t.ContinueWith(_ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)));
}
