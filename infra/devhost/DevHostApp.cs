using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Handler;
using NotifyHub.DevHost.Http;
using NotifyHub.DevHost.Queues;
using NotifyHub.DevHost.Storage;
using NotifyHub.DevHost.Timers;
using Yarp.ReverseProxy.Forwarder;

namespace NotifyHub.DevHost;

/// <summary>The local stand-in for the Azure Functions host, runnable in-process.</summary>
public static class DevHostApp
{
    /// <summary>
    /// Validates the script root, connects storage (or starts Azurite), starts the handler (or
    /// attaches to <see cref="DevHostOptions.ExistingHandler"/>), opens the front door and starts
    /// the queue and timer listeners. Configuration problems throw <see cref="DevHostConfigurationException"/>.
    /// </summary>
    public static async Task<RunningDevHost> StartAsync(DevHostOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("NotifyHub.DevHost");
        if (options.HttpPort is < 0 or > 65535) throw new DevHostConfigurationException($"HttpPort {options.HttpPort} is not a port.");
        if (options.HandlerPort is < 0 or > 65535) throw new DevHostConfigurationException($"HandlerPort {options.HandlerPort} is not a port.");
        if (string.IsNullOrWhiteSpace(options.HostId)) throw new DevHostConfigurationException("HostId is required.");

        var root = ScriptRoot.Load(options);
        var resources = new Stack<IAsyncDisposable>();
        try
        {
            // Storage: the option, else the app setting, else an Azurite of our own.
            var connection = options.StorageConnectionString ?? root.Settings.Values.GetValueOrDefault("AzureWebJobsStorage");
            if (string.IsNullOrWhiteSpace(connection))
            {
                var azurite = await DevStorage.StartAzuriteAsync(options.AzuriteFolder, options.AzuritePorts, root.Path, logger, cancellationToken);
                resources.Push(azurite);
                connection = azurite.ConnectionString;
            }

            var queues = new QueueServiceClient(connection);
            var hostsContainer = new BlobServiceClient(connection).GetBlobContainerClient("azure-webjobs-hosts");
            foreach (var queue in root.Functions.OfType<QueueFunction>())
                await queues.GetQueueClient(queue.QueueName).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            if (root.Functions.OfType<TimerFunction>().Any())
                await hostsContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

            // The handler.
            Uri handlerAddress;
            HandlerProcess? process = null;
            if (options.ExistingHandler is { } existing)
            {
                handlerAddress = existing;
            }
            else
            {
                process = await HandlerProcess.StartAsync(root, options.HandlerPort, connection, loggerFactory.CreateLogger("NotifyHub.DevHost.Handler"), cancellationToken);
                resources.Push(process);
                handlerAddress = process.Address;
            }

            var time = options.TimeProvider;
            var invocationHttp = InvocationClient.CreateHttpClient(root.Host.InvocationTimeout);
            var invoker = new InvocationClient(invocationHttp, handlerAddress, time, logger);
            var queueListeners = root.Functions.OfType<QueueFunction>()
                .Select(f => new QueueListener(f, root.Host.Queues, queues, invoker, time, logger)).ToList();
            var timerListeners = root.Functions.OfType<TimerFunction>()
                .Select(f => new TimerListener(f, new ScheduleStatusStore(hostsContainer, options.HostId, f.Name),
                    new ListenerLock(hostsContainer, options.HostId, f.Name), invoker, time, logger)).ToList();

            var stopping = new CancellationTokenSource();
            var abort = new CancellationTokenSource();
            var inFlight = new InFlight();
            var runners = new Dictionary<string, Func<string?, CancellationToken, Task<InvocationResult>>>(StringComparer.OrdinalIgnoreCase);
            foreach (var q in queueListeners) runners[q.Function.Name] = (input, ct) => q.InvokeDirectAsync(input ?? "", ct);
            foreach (var t in timerListeners) runners[t.Function.Name] = (_, ct) => t.InvokeNowAsync(ct);

            // The front door: loopback only, like everything else here.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "NotifyHub.DevHost" });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, options.HttpPort);
                // The Functions host accepts request bodies up to 100 MB (a GIAS extract is ~60 MB);
                // Kestrel's own default of 30 MB would refuse them before they reach the handler.
                k.Limits.MaxRequestBodySize = 100L * 1024 * 1024;
            });
            builder.Services.AddRouting();
            builder.Services.AddHttpForwarder();
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoConsoleLifetime>();
            builder.Services.AddLogging();
            builder.Services.AddSingleton(loggerFactory);
            var app = builder.Build();
            var forwarderClient = new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                ActivityHeadersPropagator = null,
            });
            var routes = new RouteTable(root.Functions.OfType<HttpFunction>(), root.Host.RoutePrefix,
                app.Services.GetRequiredService<IInlineConstraintResolver>());
            var frontDoor = new FrontDoor(routes, new AdminApi(runners, options.MasterKey, inFlight, abort.Token),
                app.Services.GetRequiredService<IHttpForwarder>(), forwarderClient, handlerAddress, root.Host.InvocationTimeout, logger);
            app.Run(frontDoor.HandleAsync);
            resources.Push(app);
            await app.StartAsync(cancellationToken);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            var listening = queueListeners.Select(l => Task.Run(() => l.RunAsync(stopping.Token, abort.Token), CancellationToken.None))
                .Concat(timerListeners.Select(l => Task.Run(() => l.RunAsync(stopping.Token, abort.Token), CancellationToken.None)))
                .ToList();

            var functions = root.Functions.Select(f => new LoadedFunction(f.Name, f.Describe(root.Host.RoutePrefix))).ToList();
            Log.Listening(logger, address, functions.Count);
            return new RunningDevHost(address, connection, handlerAddress, process, functions, listening, inFlight,
                stopping, abort, options.ShutdownGrace, [.. resources], [invocationHttp, forwarderClient], logger);
        }
        catch
        {
            while (resources.TryPop(out var resource)) await resource.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A function the DevHost runs, e.g. <c>IngestIncident: [POST] /api/incidents</c>.</summary>
public sealed record LoadedFunction(string Name, string Description);
