using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using GrpcException = Grpc.Core.RpcException;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Worker;

/// <summary>The worker is gone (its stream closed or its process exited) or never connected.</summary>
internal sealed class WorkerUnavailableException(string message) : Exception(message);

/// <summary>
/// The host's end of one worker's <c>EventStream</c>: requests are matched to responses by
/// <c>request_id</c> (the .NET worker echoes it), invocations by <c>invocation_id</c>; logs go to
/// <see cref="OnLog"/>. When the stream ends, everything still waiting fails with
/// <see cref="WorkerUnavailableException"/>, so no caller waits for a dead worker.
/// </summary>
internal sealed class WorkerChannel(string workerId)
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _requests = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _closedReason;

    public string WorkerId { get; } = workerId;

    /// <summary>Completes when the worker has opened its stream with StartStream.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Completes when the stream has ended.</summary>
    public Task Closed => _closed.Task;

    public Action<RpcLog>? OnLog { get; set; }

    /// <summary>Sends a request and waits for the response that carries the same request_id.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var response = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request.RequestId] = response;
        try
        {
            Send(request);
            return await response.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new WorkerUnavailableException($"The worker did not answer {request.ContentCase} within {timeout.TotalSeconds:0} s.");
        }
        finally
        {
            _requests.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Starts an invocation; the task completes with the worker's InvocationResponse, or fails if the worker goes away.</summary>
    public Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = response;
        try
        {
            Send(new StreamingMessage { InvocationRequest = request });
        }
        catch
        {
            _invocations.TryRemove(request.InvocationId, out _);
            throw;
        }
        return response.Task;
    }

    /// <summary>Stops waiting for an invocation's response (after a timeout): a late answer is then ignored.</summary>
    public void Forget(string invocationId) => _invocations.TryRemove(invocationId, out _);

    public void Send(StreamingMessage message)
    {
        if (_closedReason is { } reason || !_outbound.Writer.TryWrite(message))
            throw new WorkerUnavailableException(_closedReason ?? "The worker's stream is closed.");
    }

    /// <summary>Runs the stream from the worker's StartStream until either side ends it.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        _connected.TrySetResult();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteAsync(responses, stop.Token);
        try
        {
            while (await requests.MoveNext(stop.Token))
            {
                Dispatch(requests.Current);
            }
            Close("The worker closed its stream.");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or GrpcException)
        {
            Close("The worker's stream broke: " + e.Message);
        }
        finally
        {
            await stop.CancelAsync();
            await writing;
        }
    }

    /// <summary>Fails everything still waiting; later sends fail at once.</summary>
    public void Close(string reason)
    {
        _closedReason ??= reason;
        _outbound.Writer.TryComplete();
        foreach (var (id, request) in _requests)
        {
            if (_requests.TryRemove(id, out _)) request.TrySetException(new WorkerUnavailableException(reason));
        }
        foreach (var (id, invocation) in _invocations)
        {
            if (_invocations.TryRemove(id, out _)) invocation.TrySetException(new WorkerUnavailableException(reason));
        }
        _connected.TrySetException(new WorkerUnavailableException(reason));
        _closed.TrySetResult();
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                OnLog?.Invoke(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                    invocation.TrySetResult(message.InvocationResponse);
                break;
            default:
                if (message.RequestId is { Length: > 0 } id && _requests.TryRemove(id, out var request))
                    request.TrySetResult(message);
                break;
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or GrpcException)
        {
            Close("Could not write to the worker's stream: " + e.Message);
        }
    }
}

/// <summary>Workers the DevHost started and expects to connect, by worker id (the id it passed on the command line).</summary>
internal sealed class WorkerConnections
{
    private readonly ConcurrentDictionary<string, WorkerChannel> _expected = new(StringComparer.Ordinal);

    public WorkerChannel Expect(string workerId) => _expected[workerId] = new WorkerChannel(workerId);

    public void Forget(string workerId) => _expected.TryRemove(workerId, out _);

    public WorkerChannel? Find(string workerId) => _expected.TryGetValue(workerId, out var channel) ? channel : null;
}

/// <summary>The FunctionRpc service the worker connects to (gRPC over h2c on loopback).</summary>
internal sealed class FunctionRpcService(WorkerConnections connections) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.StartStream is not { } start)
            throw new GrpcException(new Status(StatusCode.InvalidArgument, "The first message on the stream must be StartStream."));
        var channel = connections.Find(start.WorkerId)
            ?? throw new GrpcException(new Status(StatusCode.NotFound, $"No worker with id '{start.WorkerId}' was started by this host."));
        await channel.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
