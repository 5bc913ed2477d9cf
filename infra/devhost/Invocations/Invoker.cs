using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Worker;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Invocations;

/// <summary>How one invocation ended. A failure's <see cref="Error"/> says why (the function threw, timed out, or the worker went away).</summary>
internal sealed record InvocationResult(string Function, Guid InvocationId, bool Succeeded, TimeSpan Duration, string? Error);

/// <summary>
/// Runs invocations on the worker, as the host's dispatcher does: one InvocationRequest, then the
/// worker's InvocationResponse. host.json's <c>functionTimeout</c> bounds each one: past it the host
/// sends InvocationCancel and fails the invocation, and a worker whose function still has not stopped
/// after <see cref="CancelGrace"/> is recycled (the real host restarts too). Failures are returned, not
/// thrown; only the caller's cancellation throws.
/// </summary>
internal sealed class Invoker(WorkerSupervisor supervisor, TimeSpan? functionTimeout, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);

    /// <summary>The function an invocation in flight belongs to (for tagging its logs).</summary>
    public string? FunctionOf(string invocationId) => _running.TryGetValue(invocationId, out var function) ? function : null;

    public async Task<InvocationResult> InvokeAsync(FunctionDefinition function, TriggerData data, string reason, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid();
        WorkerSession session;
        try
        {
            session = await supervisor.SessionAsync(cancellationToken);
        }
        catch (WorkerUnavailableException e)
        {
            Log.Executing(logger, function.Name, reason, invocationId);
            Log.Failed(logger, function.Name, invocationId, 0, e.Message);
            return new InvocationResult(function.Name, invocationId, false, TimeSpan.Zero, e.Message);
        }
        return await InvokeAsync(session, function, invocationId, data, reason, null, cancellationToken);
    }

    public async Task<InvocationResult> InvokeAsync(
        WorkerSession session, FunctionDefinition function, Guid invocationId, TriggerData data, string reason, string? traceParent, CancellationToken cancellationToken)
    {
        Log.Executing(logger, function.Name, reason, invocationId);
        var started = time.GetTimestamp();
        string? error;
        var id = invocationId.ToString();
        _running[id] = function.Name;
        try
        {
            error = session.FunctionIds.TryGetValue(function.Name, out var functionId)
                ? await RunAsync(session, function, data.ToRequest(invocationId, functionId, traceParent), cancellationToken)
                : $"The worker has no function named {function.Name}.";
        }
        finally
        {
            _running.TryRemove(id, out _);
        }

        var duration = time.GetElapsedTime(started);
        if (error is null) Log.Succeeded(logger, function.Name, invocationId, (long)duration.TotalMilliseconds);
        else Log.Failed(logger, function.Name, invocationId, (long)duration.TotalMilliseconds, error);
        return new InvocationResult(function.Name, invocationId, error is null, duration, error);
    }

    /// <summary>Null on success, else why the invocation failed.</summary>
    private async Task<string?> RunAsync(WorkerSession session, FunctionDefinition function, InvocationRequest request, CancellationToken cancellationToken)
    {
        Task<InvocationResponse> response;
        try
        {
            response = session.Channel.InvokeAsync(request);
        }
        catch (WorkerUnavailableException e)
        {
            return e.Message;
        }

        try
        {
            var answer = functionTimeout is { } timeout
                ? await response.WaitAsync(timeout, cancellationToken)
                : await response.WaitAsync(cancellationToken);
            return answer.Result?.Status switch
            {
                StatusResult.Types.Status.Success => null,
                StatusResult.Types.Status.Cancelled => "The invocation was cancelled.",
                _ => Describe(answer.Result?.Exception) ?? "The function failed.",
            };
        }
        catch (WorkerUnavailableException e)
        {
            return e.Message;
        }
        catch (TimeoutException)
        {
            await CancelAsync(session, function, request.InvocationId, response);
            return $"Timeout value of {functionTimeout} exceeded by function '{function.Name}' (Id: '{request.InvocationId}'). Initiating cancellation.";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            TrySendCancel(session, request.InvocationId);
            session.Channel.Forget(request.InvocationId);
            throw;
        }
    }

    private async Task CancelAsync(WorkerSession session, FunctionDefinition function, string invocationId, Task<InvocationResponse> response)
    {
        TrySendCancel(session, invocationId);
        var stopped = await Task.WhenAny(response, Task.Delay(CancelGrace)) == response;
        session.Channel.Forget(invocationId);
        if (!stopped && !session.Ended.IsCompleted)
        {
            await supervisor.RecycleAsync(session, $"function '{function.Name}' ran past functionTimeout and did not stop within {CancelGrace.TotalSeconds:0} s of its cancellation");
        }
    }

    private static void TrySendCancel(WorkerSession session, string invocationId)
    {
        if (!session.HandlesInvocationCancel) return;
        try
        {
            session.Channel.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId, GracePeriod = Duration.FromTimeSpan(TimeSpan.Zero) } });
        }
        catch (WorkerUnavailableException)
        {
            // Gone: nothing left to cancel.
        }
    }

    private static string? Describe(RpcException? exception) =>
        exception is null ? null : string.IsNullOrEmpty(exception.Type) ? exception.Message : $"{exception.Type}: {exception.Message}";
}
