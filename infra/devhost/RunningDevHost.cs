using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Handler;

namespace NotifyHub.DevHost;

/// <summary>
/// A started DevHost. Dispose to stop it: listeners stop, in-flight invocations get a short grace,
/// then the front door, the handler process and any Azurite it started are stopped.
/// </summary>
public sealed class RunningDevHost : IAsyncDisposable
{
    private readonly HandlerProcess? _process;
    private readonly IReadOnlyList<Task> _listeners;
    private readonly InFlight _inFlight;
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
        Uri baseAddress, string storageConnectionString, Uri handlerAddress, HandlerProcess? process,
        IReadOnlyList<LoadedFunction> functions, IReadOnlyList<Task> listeners, InFlight inFlight,
        CancellationTokenSource stopping, CancellationTokenSource abort, TimeSpan grace,
        IAsyncDisposable[] resources, IDisposable[] clients, ILogger logger)
    {
        BaseAddress = baseAddress;
        StorageConnectionString = storageConnectionString;
        HandlerAddress = handlerAddress;
        Functions = functions;
        _process = process;
        _listeners = listeners;
        _inFlight = inFlight;
        _stopping = stopping;
        _abort = abort;
        _grace = grace;
        _resources = resources;
        _clients = clients;
        _logger = logger;
        if (process is not null) _ = WatchHandlerAsync(process);
    }

    /// <summary>The front door: HTTP functions under the route prefix, and /admin.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The effective AzureWebJobsStorage (the handler gets the same).</summary>
    public string StorageConnectionString { get; }

    public Uri HandlerAddress { get; }

    /// <summary>The handler's process id, when the DevHost started it.</summary>
    public int? HandlerProcessId => _process?.ProcessId;

    public IReadOnlyList<LoadedFunction> Functions { get; }

    /// <summary>Completes when the host has stopped; faults if it stopped because the handler died.</summary>
    public Task Completion => _completion.Task;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(failure: null);
        // Observe a fault here so disposing a host whose handler died does not throw.
        await _completion.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task WatchHandlerAsync(HandlerProcess process)
    {
        var exitCode = await process.UnexpectedExit;
        Log.HandlerDied(_logger, exitCode);
        await StopAsync(new InvalidOperationException(
            $"The handler process exited unexpectedly with code {exitCode}. Its last output:{Environment.NewLine}{process.RecentOutput}"));
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
        await _stopping.CancelAsync();
        var web = _resources.OfType<WebApplication>().FirstOrDefault();
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
