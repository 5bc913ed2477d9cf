using Azure.Storage.Blobs;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace NotifyHub.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddHubStorage(this IServiceCollection services, IConfiguration configuration, string appRoot)
    {
        services.AddOptions<StorageOptions>()
            .Configure(o =>
            {
                o.ConnectionString = configuration["AzureWebJobsStorage"] ?? "";
                var identity = configuration.GetSection("AzureWebJobsStorage");
                o.AccountName = identity["accountName"] ?? "";
                o.TableServiceUri = identity["tableServiceUri"] ?? "";
                o.QueueServiceUri = identity["queueServiceUri"] ?? "";
                o.BlobServiceUri = identity["blobServiceUri"] ?? "";
                o.Credential = identity["credential"] ?? "";
                o.ClientId = identity["clientId"] ?? "";
                (o.MessageEncoding, o.MaxDequeueCount) = ReadQueueSettings(appRoot);
                o.FaultPlanFile = configuration[FaultInjectionPolicy.Setting] ?? "";
                o.Development = Routing.RoutingOptions.IsDevelopment(configuration);
            })
            .ValidateDataAnnotations()
            .Validate(o => o.MessageEncoding is "base64" or "none", "host.json extensions.queues.messageEncoding must be base64 or none.")
            .Validate(o => o.FaultPlanFile.Length == 0 || o.Development,
                "Testing:FaultPlanFile makes storage requests fail on purpose, for the fault-injection tests only: it is refused outside the Development environment.")
            .ValidateOnStart();

        // One credential for both clients, so that they share its token cache (resolved only for an identity-based connection).
        services.AddSingleton(sp => Credential(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var tableOptions = new TableClientOptions();
            if (Faults(options) is { } faults) tableOptions.AddPolicy(faults, HttpPipelinePosition.PerCall);
            return options.UsesIdentity
                ? new TableServiceClient(options.TableEndpoint(), sp.GetRequiredService<TokenCredential>(), tableOptions)
                : new TableServiceClient(options.ConnectionString, tableOptions);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var queueOptions = new QueueClientOptions
            {
                // The sender's encoding must be the trigger's, or the trigger never reads the message.
                MessageEncoding = options.MessageEncoding == "base64" ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
            };
            if (Faults(options) is { } faults) queueOptions.AddPolicy(faults, HttpPipelinePosition.PerCall);
            return options.UsesIdentity
                ? new QueueServiceClient(options.QueueEndpoint(), sp.GetRequiredService<TokenCredential>(), queueOptions)
                : new QueueServiceClient(options.ConnectionString, queueOptions);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var blobOptions = new BlobClientOptions();
            if (Faults(options) is { } faults) blobOptions.AddPolicy(faults, HttpPipelinePosition.PerCall);
            return options.UsesIdentity
                ? new BlobServiceClient(options.BlobEndpoint(), sp.GetRequiredService<TokenCredential>(), blobOptions)
                : new BlobServiceClient(options.ConnectionString, blobOptions);
        });
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>The fault-injection tests' policy (one for every client, so one count), when its plan file is set (Development only).</summary>
    private static FaultInjectionPolicy? Faults(StorageOptions options)
    {
        if (options.FaultPlanFile.Length == 0) return null;
        lock (FaultPolicies) return FaultPolicies.TryGetValue(options.FaultPlanFile, out var p) ? p : FaultPolicies[options.FaultPlanFile] = new FaultInjectionPolicy(options.FaultPlanFile);
    }

    private static readonly Dictionary<string, FaultInjectionPolicy> FaultPolicies = new(StringComparer.Ordinal);

    /// <summary>
    /// The identity an identity-based connection signs in with: the user-assigned managed identity named by its client id
    /// (as the Functions host takes <c>AzureWebJobsStorage__clientId</c>), else the default Azure credential chain.
    /// </summary>
    public static TokenCredential Credential(StorageOptions options) =>
        options.ClientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId))
            : new DefaultAzureCredential();

    /// <summary>
    /// Reads <c>extensions.queues.messageEncoding</c> (default base64) and <c>maxDequeueCount</c> (default 5, as the host's)
    /// from the host.json beside the app.
    /// </summary>
    public static (string MessageEncoding, int MaxDequeueCount) ReadQueueSettings(string appRoot)
    {
        var path = Path.Combine(appRoot, "host.json");
        if (!File.Exists(path)) return ("base64", 5);
        var queues = JsonNode.Parse(File.ReadAllText(path))?["extensions"]?["queues"];
        return (queues?["messageEncoding"]?.GetValue<string>()?.ToLowerInvariant() ?? "base64", queues?["maxDequeueCount"]?.GetValue<int>() ?? 5);
    }
}

/// <summary>
/// Creates the hub's tables and queues before the worker connects to the host, so no invocation can
/// arrive before storage is ready: <see cref="StartingAsync"/> runs before any hosted service starts,
/// the worker's own gRPC connection among them.
/// </summary>
internal sealed class StorageInitializer(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        foreach (var queue in StorageNames.Queues) await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var container in StorageNames.Containers) await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
