using System.Net;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Http;
using NotifyHub.DevHost.Invocations;
using NotifyHub.DevHost.Queues;
using NotifyHub.DevHost.Storage;
using NotifyHub.DevHost.Timers;
using NotifyHub.DevHost.Worker;
using Yarp.ReverseProxy.Forwarder;

namespace NotifyHub.DevHost;

/// <summary>The local stand-in for the Azure Functions host, runnable in-process.</summary>
public static class DevHostApp
{
    /// <summary>
    /// Validates the app folder, connects storage (or starts Azurite), opens the FunctionRpc gRPC endpoint,
    /// starts the worker and indexes its functions, opens the front door and starts the queue and timer
    /// listeners. Configuration problems throw <see cref="DevHostConfigurationException"/>; a worker that
    /// cannot start throws with its output.
    /// </summary>
    public static async Task<RunningDevHost> StartAsync(DevHostOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("NotifyHub.DevHost");
        if (options.HttpPort is < 0 or > 65535) throw new DevHostConfigurationException($"HttpPort {options.HttpPort} is not a port.");
        if (string.IsNullOrWhiteSpace(options.HostId)) throw new DevHostConfigurationException("HostId is required.");
        if (options.ShutdownGrace < TimeSpan.Zero) throw new DevHostConfigurationException("ShutdownGrace must not be negative.");
        if (options.WorkerRestartDelay <= TimeSpan.Zero) throw new DevHostConfigurationException("WorkerRestartDelay must be positive.");

        var app = AppDirectory.Load(options);
        var resources = new Stack<IAsyncDisposable>();
        try
        {
            // Storage: the option, else the app setting, else an Azurite of our own.
            var connection = options.StorageConnectionString ?? app.Settings.Values.GetValueOrDefault("AzureWebJobsStorage");
            if (string.IsNullOrWhiteSpace(connection))
            {
                var azurite = await DevStorage.StartAzuriteAsync(options.AzuriteFolder, options.AzuritePorts, app.Path, logger, cancellationToken);
                resources.Push(azurite);
                connection = azurite.ConnectionString;
            }

            // The FunctionRpc endpoint the worker connects to: gRPC over h2c, loopback only.
            var connections = new WorkerConnections();
            var rpc = BuildRpcServer(connections, loggerFactory);
            resources.Push(rpc);
            await rpc.StartAsync(cancellationToken);
            var rpcUri = new Uri(rpc.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

            Invoker? invoker = null;
            var relay = new WorkerLogRelay(loggerFactory, app.Host.LogLevels, id => invoker?.FunctionOf(id));
            var supervisor = new WorkerSupervisor(app, connection, connections, relay.Relay, options.WorkerRestartDelay, logger);
            resources.Push(supervisor);
            var session = await supervisor.StartAsync(rpcUri, cancellationToken);
            var functions = FunctionIndex.Build(session.Functions, app.Host, app.Settings, options.Functions);
            invoker = new Invoker(supervisor, app.Host.FunctionTimeout, options.TimeProvider, logger);

            var (queueOptions, blobOptions) = (new QueueClientOptions(), new BlobClientOptions());
            if (options.StorageFaults is { } faults)
            {
                queueOptions.AddPolicy(faults, HttpPipelinePosition.PerCall);
                blobOptions.AddPolicy(faults, HttpPipelinePosition.PerCall);
            }
            var queues = new QueueServiceClient(connection, queueOptions);
            var hostsContainer = new BlobServiceClient(connection, blobOptions).GetBlobContainerClient("azure-webjobs-hosts");
            foreach (var queue in functions.OfType<QueueFunction>())
                await queues.GetQueueClient(queue.QueueName).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            if (functions.OfType<TimerFunction>().Any())
                await hostsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

            var time = options.TimeProvider;
            var failures = new UnexpectedFailures();
            var queueListeners = functions.OfType<QueueFunction>()
                .Select(f => new QueueListener(f, app.Host.Queues, queues, invoker, time, logger, failures)).ToList();
            var timerListeners = functions.OfType<TimerFunction>()
                .Select(f => new TimerListener(f, new ScheduleStatusStore(hostsContainer, options.HostId, f.Name),
                    new ListenerLock(hostsContainer, options.HostId, f.Name), invoker, time, logger)).ToList();

            var stopping = new CancellationTokenSource();
            var abort = new CancellationTokenSource();
            var inFlight = new InFlight(failures, logger);
            var runners = new Dictionary<string, Func<string?, CancellationToken, Task<InvocationResult>>>(StringComparer.OrdinalIgnoreCase);
            foreach (var q in queueListeners) runners[q.Function.Name] = (input, ct) => q.InvokeDirectAsync(input ?? "", ct);
            foreach (var t in timerListeners) runners[t.Function.Name] = (_, ct) => t.InvokeNowAsync(ct);

            var (web, workerClient) = BuildFrontDoor(options, functions.OfType<HttpFunction>(), supervisor, invoker,
                new AdminApi(runners, options.MasterKey, inFlight, abort.Token), loggerFactory, logger);
            resources.Push(web);
            await web.StartAsync(cancellationToken);
            var address = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            var listening = queueListeners.Select(l => Task.Run(() => l.RunAsync(stopping.Token, abort.Token), CancellationToken.None))
                .Concat(timerListeners.Select(l => Task.Run(() => l.RunAsync(stopping.Token, abort.Token), CancellationToken.None)))
                .ToList();

            var loaded = functions.Select(f => new LoadedFunction(f.Name, f.Describe())).ToList();
            Log.Listening(logger, address, loaded.Count);
            return new RunningDevHost(address, connection, supervisor, loaded, listening, inFlight, failures,
                stopping, abort, options.ShutdownGrace, [.. resources], [workerClient], logger);
        }
        catch
        {
            while (resources.TryPop(out var resource)) await resource.DisposeAsync();
            throw;
        }
    }

    private static WebApplication BuildRpcServer(WorkerConnections connections, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "NotifyHub.DevHost.Rpc" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(o =>
        {
            // As the host: no practical limit (the worker is started with the same maximum).
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(connections);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoConsoleLifetime>();
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    private static (WebApplication App, HttpMessageInvoker WorkerClient) BuildFrontDoor(
        DevHostOptions options, IEnumerable<HttpFunction> functions, WorkerSupervisor supervisor, Invoker invoker, AdminApi admin,
        ILoggerFactory loggerFactory, ILogger logger)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "NotifyHub.DevHost" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.HttpPort);
            // The Functions host accepts request bodies up to 100 MB (a GIAS extract is ~60 MB); the rest of the
            // limits are checked by RequestLimits so that refusals are problem+json.
            RequestLimits.Configure(k.Limits);
        });
        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoConsoleLifetime>();
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        var workerClient = new HttpMessageInvoker(new RetryWorkerHandler(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
        }, logger));
        app.Use(RequestLimits.RefuseOversizedAsync);
        // The host's own API comes first: no function route can be under /admin.
        app.Use((context, next) => context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) ? admin.HandleAsync(context) : next(context));
        new FrontDoor(supervisor, invoker, app.Services.GetRequiredService<IHttpForwarder>(), workerClient, logger).Map(app, functions);
        return (app, workerClient);
    }
}

/// <summary>A function the DevHost runs, e.g. <c>IngestIncident: [POST] /api/incidents</c>.</summary>
public sealed record LoadedFunction(string Name, string Description);
