using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Worker;

/// <summary>
/// Keeps one worker running, as the host does: starts it, and when it dies restarts it with an
/// exponential backoff (<see cref="DevHostOptions.WorkerRestartDelay"/> doubling up to 30 s). While it is
/// down, callers wait for the next one (up to <see cref="WaitForWorker"/>); the invocations it was running
/// fail, so their queue messages are released and retried. After <see cref="MaxFailedStarts"/> failed
/// starts in a row it gives up and <see cref="GaveUp"/> faults with the worker's last output.
/// </summary>
internal sealed class WorkerSupervisor(
    AppDirectory app, string storageConnectionString, WorkerConnections connections, Action<RpcLog> onLog,
    TimeSpan restartDelay, ILogger logger) : IAsyncDisposable
{
    public static readonly TimeSpan WaitForWorker = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);
    public const int MaxFailedStarts = 5;

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TaskCompletionSource<WorkerSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerSession? _current;
    private Task _watching = Task.CompletedTask;
    private Uri? _hostUri;
    private int _restarts;

    /// <summary>The running worker, or null while it is being restarted.</summary>
    public WorkerSession? Current => _current;

    /// <summary>How many times the worker has been restarted.</summary>
    public int Restarts => _restarts;

    /// <summary>Faults when the worker could not be restarted; never completes otherwise.</summary>
    public Task GaveUp => _gaveUp.Task;

    /// <summary>The delay before restart attempt <paramref name="attempt"/> (1-based): doubling from <paramref name="initial"/>, capped.</summary>
    public static TimeSpan RestartDelay(int attempt, TimeSpan initial)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var delay = TimeSpan.FromMilliseconds(initial.TotalMilliseconds * factor);
        return delay < MaxRestartDelay ? delay : MaxRestartDelay;
    }

    /// <summary>Starts the first worker; a failure here is the DevHost's start-up failure.</summary>
    public async Task<WorkerSession> StartAsync(Uri hostUri, CancellationToken cancellationToken)
    {
        _hostUri = hostUri;
        var session = await WorkerSession.StartAsync(app, hostUri, storageConnectionString, connections, onLog, logger, cancellationToken);
        Become(session);
        return session;
    }

    /// <summary>The running worker, waiting for a restart to finish if need be.</summary>
    public async Task<WorkerSession> SessionAsync(CancellationToken cancellationToken)
    {
        Task<WorkerSession> ready;
        lock (_lock) ready = _ready.Task;
        try
        {
            return await ready.WaitAsync(WaitForWorker, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new WorkerUnavailableException($"The worker is not running (no worker became ready within {WaitForWorker.TotalSeconds:0} s).");
        }
    }

    /// <summary>Stops a worker that cannot be trusted to carry on (a function ran past its timeout and would not stop); it is then restarted.</summary>
    public async Task RecycleAsync(WorkerSession session, string reason)
    {
        Log.WorkerRecycled(logger, session.ProcessId, reason);
        await session.DisposeAsync();
    }

    private void Become(WorkerSession session)
    {
        lock (_lock)
        {
            _current = session;
            _ready.TrySetResult(session);
        }
        _watching = WatchAsync(session);
    }

    private async Task WatchAsync(WorkerSession session)
    {
        await session.Ended;
        lock (_lock)
        {
            if (ReferenceEquals(_current, session)) _current = null;
            if (_ready.Task.IsCompleted) _ready = new TaskCompletionSource<WorkerSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        // Ctrl-C reaches the worker and the DevHost together: an exit during a stop is the stop, not a crash.
        await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(250)), Task.Delay(Timeout.Infinite, _stopping.Token));
        if (_stopping.IsCancellationRequested) return;

        var exitCode = session.ProcessExited.IsCompleted ? session.ProcessExited.Result : (int?)null;
        await session.DisposeAsync();
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            var delay = RestartDelay(attempt, restartDelay);
            Log.WorkerExited(logger, exitCode, attempt, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _stopping.Token);
                var next = await WorkerSession.StartAsync(app, _hostUri!, storageConnectionString, connections, onLog, logger, _stopping.Token);
                Interlocked.Increment(ref _restarts);
                if (_stopping.IsCancellationRequested)
                {
                    await next.DisposeAsync();
                    return;
                }
                Become(next);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is WorkerUnavailableException or DevHostConfigurationException)
            {
                Log.WorkerRestartFailed(logger, e, attempt);
                if (attempt >= MaxFailedStarts)
                {
                    _gaveUp.TrySetException(new InvalidOperationException(
                        $"The worker could not be restarted after {attempt} attempts: {e.Message}", e));
                    return;
                }
            }
        }
    }

    /// <summary>From now on a worker that exits is not restarted: the DevHost is stopping (the worker may still finish its invocations).</summary>
    public void BeginStop()
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
    }

    /// <summary>Stops the worker: WorkerTerminate with <paramref name="grace"/>, then kill. Never restarts it again.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        BeginStop();
        WorkerSession? current;
        lock (_lock)
        {
            current = _current;
            _current = null;
            _ready.TrySetException(new WorkerUnavailableException("The DevHost is stopping."));
        }
        if (current is not null) await current.StopAsync(grace, logger);
        await _watching;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2));
        _stopping.Dispose();
    }
}
