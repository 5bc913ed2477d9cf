using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Worker;

namespace NotifyHub.DevHost;

/// <summary>
/// A started DevHost. Dispose to stop it: listeners stop, in-flight invocations get a grace period,
/// then the front door closes, the worker is sent WorkerTerminate (and killed if it lingers), and the
/// gRPC endpoint and any Azurite it started are stopped. No process is left behind.
/// </summary>
public sealed class RunningDevHost : IAsyncDisposable
{
    private readonly WorkerSupervisor _supervisor;
    private readonly IReadOnlyList<Task> _listeners;
    private readonly InFlight _inFlight;
    private readonly UnexpectedFailures _failures;
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _abort;
    private readonly TimeSpan _grace;
    private readonly IAsyncDisposable[] _resources;
    private readonly IDisposable[] _clients;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private Task? _stop;

    internal RunningDevHost(
        Uri baseAddress, string storageConnectionString, WorkerSupervisor supervisor,
        IReadOnlyList<LoadedFunction> functions, IReadOnlyList<Task> listeners, InFlight inFlight, UnexpectedFailures failures,
        CancellationTokenSource stopping, CancellationTokenSource abort, TimeSpan grace,
        IAsyncDisposable[] resources, IDisposable[] clients, ILogger logger)
    {
        BaseAddress = baseAddress;
        StorageConnectionString = storageConnectionString;
        Functions = functions;
        _supervisor = supervisor;
        _listeners = listeners;
        _inFlight = inFlight;
        _failures = failures;
        _stopping = stopping;
        _abort = abort;
        _grace = grace;
        _resources = resources;
        _clients = clients;
        _logger = logger;
        _ = WatchWorkerAsync();
    }

    /// <summary>The front door: HTTP functions under the route prefix, and /admin.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The effective AzureWebJobsStorage (the worker gets the same).</summary>
    public string StorageConnectionString { get; }

    /// <summary>The worker's process id, or null while it is being restarted.</summary>
    public int? WorkerProcessId => _supervisor.Current?.ProcessId;

    /// <summary>The worker's own HTTP server (its HttpUri capability), or null while it is being restarted.</summary>
    public Uri? WorkerHttpUri => _supervisor.Current?.HttpUri;

    /// <summary>How many times the worker has been restarted since the DevHost started.</summary>
    public int WorkerRestarts => _supervisor.Restarts;

    public IReadOnlyList<LoadedFunction> Functions { get; }

    /// <summary>
    /// How many pieces of background work ended with an exception the DevHost did not expect since it started, each
    /// also logged as an error: a queue message's processing (event 305, with the message's id), or a run through the
    /// admin API that nobody awaited (event 203).
    /// </summary>
    public int UnexpectedFailures => _failures.Count;

    /// <summary>Completes when the host has stopped; faults if it stopped because the worker could not be restarted.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Waits until a worker is running (after a restart, say) and returns its process id.</summary>
    public async Task<int> WaitForWorkerAsync(CancellationToken cancellationToken = default) =>
        (await _supervisor.SessionAsync(cancellationToken)).ProcessId;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(failure: null);
        // Observe a fault here so disposing a host whose worker could not be restarted does not throw.
        await _completion.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task WatchWorkerAsync()
    {
        try
        {
            await _supervisor.GaveUp;
        }
        catch (Exception e)
        {
            Log.GaveUp(_logger, e);
            await StopAsync(e);
        }
    }

    private Task StopAsync(Exception? failure)
    {
        lock (_stopLock)
        {
            return _stop ??= StopCoreAsync(failure);
        }
    }

    private async Task StopCoreAsync(Exception? failure)
    {
        await Task.Yield();
        _supervisor.BeginStop();
        await _stopping.CancelAsync();
        var web = _resources.OfType<WebApplication>().FirstOrDefault(w => w.Environment.ApplicationName == "NotifyHub.DevHost");
        try
        {
            using var graceTimeout = new CancellationTokenSource(_grace);
            if (web is not null) await web.StopAsync(graceTimeout.Token);
            // Listeners log their own failures; stopping waits for them however they ended.
            var work = Task.WhenAll(_listeners.Append(_inFlight.WhenAllAsync()))
                .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                await work.WaitAsync(_grace);
            }
            catch (TimeoutException)
            {
                Log.GraceExpired(_logger, (long)_grace.TotalMilliseconds);
                await _abort.CancelAsync();
                await work.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default); // bounded: never hang the stop
            }
        }
        finally
        {
            await _abort.CancelAsync();
            await _supervisor.StopAsync(_grace);
            foreach (var resource in _resources)
            {
                await resource.DisposeAsync();
            }
            foreach (var client in _clients) client.Dispose();
            _stopping.Dispose();
            _abort.Dispose();
            Log.Stopped(_logger);
            if (failure is null) _completion.TrySetResult();
            else _completion.TrySetException(failure);
        }
    }
}
