using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Worker;

/// <summary>
/// One run of the worker: the process, its stream, and what the handshake established — the
/// worker's capabilities (its <c>HttpUri</c> among them) and the function ids it chose.
/// Start-up follows the host: StartStream, WorkerInitRequest, FunctionsMetadataRequest (worker
/// indexing), then one FunctionLoadRequest per function.
/// </summary>
internal sealed class WorkerSession : IAsyncDisposable
{
    public const string HostVersion = "4.1044.0.0-devhost";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly WorkerProcess _process;
    private readonly WorkerChannel _channel;
    private readonly WorkerConnections _connections;

    private WorkerSession(WorkerProcess process, WorkerChannel channel, WorkerConnections connections,
        IReadOnlyDictionary<string, string> capabilities, IReadOnlyList<IndexedFunction> functions)
    {
        _process = process;
        _channel = channel;
        _connections = connections;
        Capabilities = capabilities;
        Functions = functions;
        FunctionIds = functions.ToDictionary(f => f.Name, f => f.FunctionId, StringComparer.OrdinalIgnoreCase);
        HttpUri = capabilities.TryGetValue("HttpUri", out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;
        Ended = Task.WhenAny(process.Exited, channel.Closed).ContinueWith(_ =>
        {
            _channel.Close(process.Exited.IsCompleted ? $"The worker process exited with code {process.Exited.Result}." : "The worker closed its stream.");
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public WorkerChannel Channel => _channel;
    public int ProcessId => _process.ProcessId;
    public IReadOnlyDictionary<string, string> Capabilities { get; }
    public IReadOnlyList<IndexedFunction> Functions { get; }
    public IReadOnlyDictionary<string, string> FunctionIds { get; }

    /// <summary>The worker's own HTTP server, where HTTP requests are proxied (ASP.NET Core integration).</summary>
    public Uri? HttpUri { get; }

    public bool HandlesInvocationCancel => Capabilities.ContainsKey("HandlesInvocationCancelMessage");

    /// <summary>Completes when the worker has gone: its process exited or its stream closed.</summary>
    public Task Ended { get; }

    public Task<int> ProcessExited => _process.Exited;

    public string RecentOutput => _process.RecentOutput;

    public static async Task<WorkerSession> StartAsync(
        AppDirectory app, Uri hostUri, string storageConnectionString, WorkerConnections connections,
        Action<RpcLog> onLog, ILogger logger, CancellationToken cancellationToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var channel = connections.Expect(workerId);
        channel.OnLog = onLog;
        var started = Stopwatch.StartNew();
        var process = WorkerProcess.Start(app, hostUri, workerId, storageConnectionString, logger);
        try
        {
            await WaitForStreamAsync(process, channel, cancellationToken);

            var init = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = app.Path, FunctionAppDirectory = app.Path };
            init.Capabilities["HandlesWorkerTerminateMessage"] = "true";
            var initResponse = (await channel.RequestAsync(new StreamingMessage { WorkerInitRequest = init }, RequestTimeout, cancellationToken)).WorkerInitResponse
                ?? throw new WorkerUnavailableException("The worker answered WorkerInitRequest with something else.");
            Fail(initResponse.Result, "initialise", process);
            var capabilities = initResponse.Capabilities.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

            var metadata = (await channel.RequestAsync(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = app.Path } },
                RequestTimeout, cancellationToken)).FunctionMetadataResponse
                ?? throw new WorkerUnavailableException("The worker answered FunctionsMetadataRequest with something else.");
            Fail(metadata.Result, "list its functions (worker indexing)", process);
            if (metadata.UseDefaultMetadataIndexing)
                throw new DevHostConfigurationException("The worker asked for host indexing (function.json files); the DevHost runs worker-indexed isolated apps only.");

            var functions = new List<IndexedFunction>();
            foreach (var function in metadata.FunctionMetadataResults)
            {
                var load = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = LoadMetadata(function) };
                var loaded = (await channel.RequestAsync(new StreamingMessage { FunctionLoadRequest = load }, RequestTimeout, cancellationToken)).FunctionLoadResponse
                    ?? throw new WorkerUnavailableException($"The worker answered the load of {function.Name} with something else.");
                Fail(loaded.Result, $"load function {function.Name}", process);
                functions.Add(new IndexedFunction(function.Name, function.FunctionId, function.RawBindings.ToList()));
            }

            var session = new WorkerSession(process, channel, connections, capabilities, functions);
            Log.WorkerReady(logger, process.ProcessId, functions.Count, started.ElapsedMilliseconds);
            return session;
        }
        catch
        {
            channel.Close("The worker failed to start.");
            connections.Forget(workerId);
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The load request's metadata: the worker's own, with the bindings map the host builds from the raw bindings.</summary>
    internal static RpcFunctionMetadata LoadMetadata(RpcFunctionMetadata indexed)
    {
        var metadata = new RpcFunctionMetadata
        {
            Name = indexed.Name,
            Directory = indexed.Directory,
            ScriptFile = indexed.ScriptFile,
            EntryPoint = indexed.EntryPoint,
            FunctionId = indexed.FunctionId,
            Language = indexed.Language,
            IsProxy = false,
        };
        metadata.RawBindings.AddRange(indexed.RawBindings);
        metadata.Properties.Add(indexed.Properties);
        foreach (var (name, binding) in indexed.Bindings) metadata.Bindings[name] = binding;
        foreach (var raw in indexed.RawBindings)
        {
            using var json = System.Text.Json.JsonDocument.Parse(raw);
            var root = json.RootElement;
            if (root.String("name") is not { } name || metadata.Bindings.ContainsKey(name)) continue;
            metadata.Bindings[name] = new BindingInfo
            {
                Type = root.String("type") ?? "",
                Direction = (root.String("direction") ?? "in").ToLowerInvariant() switch
                {
                    "out" => BindingInfo.Types.Direction.Out,
                    "inout" => BindingInfo.Types.Direction.Inout,
                    _ => BindingInfo.Types.Direction.In,
                },
                DataType = (root.String("dataType") ?? "").ToLowerInvariant() switch
                {
                    "string" => BindingInfo.Types.DataType.String,
                    "binary" => BindingInfo.Types.DataType.Binary,
                    "stream" => BindingInfo.Types.DataType.Stream,
                    _ => BindingInfo.Types.DataType.Undefined,
                },
            };
        }
        return metadata;
    }

    private static async Task WaitForStreamAsync(WorkerProcess process, WorkerChannel channel, CancellationToken cancellationToken)
    {
        var connected = channel.Connected;
        var first = await Task.WhenAny(connected, process.Exited, Task.Delay(StartTimeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (first == connected && connected.IsCompletedSuccessfully) return;
        if (process.Exited.IsCompleted)
        {
            await Task.Delay(200, CancellationToken.None); // let the output readers drain what it printed before it died
            throw new WorkerUnavailableException(
                $"The worker exited with code {process.Exited.Result} before it connected. Its last output:{Environment.NewLine}{process.RecentOutput}");
        }
        throw new WorkerUnavailableException(
            $"The worker did not open its gRPC stream within {StartTimeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}{process.RecentOutput}");
    }

    private static void Fail(StatusResult? result, string what, WorkerProcess process)
    {
        if (result is null || result.Status == StatusResult.Types.Status.Success) return;
        throw new WorkerUnavailableException(
            $"The worker failed to {what}: {result.Exception?.Message ?? result.Result}{Environment.NewLine}{process.RecentOutput}".TrimEnd());
    }

    /// <summary>Asks the worker to stop (WorkerTerminate), waits up to <paramref name="grace"/>, then kills it.</summary>
    public async Task StopAsync(TimeSpan grace, ILogger logger)
    {
        try
        {
            _channel.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(grace) } });
            var exitCode = await _process.Exited.WaitAsync(grace + TimeSpan.FromSeconds(1));
            Log.WorkerStopped(logger, ProcessId, exitCode);
        }
        catch (WorkerUnavailableException)
        {
            // Its stream is gone already (it exited, or is exiting): nothing to ask.
        }
        catch (TimeoutException)
        {
            Log.WorkerKilled(logger, ProcessId, (long)grace.TotalMilliseconds);
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Close("The worker was stopped.");
        _connections.Forget(_channel.WorkerId);
        await _process.DisposeAsync();
    }
}
