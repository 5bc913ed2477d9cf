using System.Collections.Concurrent;

namespace NotifyHub.DevHost;

/// <summary>Invocations started outside a listener loop (admin), so shutdown can wait for them.</summary>
internal sealed class InFlight
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public Task<T> Track<T>(Task<T> task)
    {
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Completes when every tracked invocation has ended, however it ended.</summary>
    public Task WhenAllAsync() =>
        Task.WhenAll(_running.Keys.Select(t => t.ContinueWith(_ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)));
}
