using System.Text.Json.Nodes;
using Azure.Data.Tables;
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
                o.MessageEncoding = ReadMessageEncoding(appRoot);
            })
            .ValidateDataAnnotations()
            .Validate(o => o.MessageEncoding is "base64" or "none", "host.json extensions.queues.messageEncoding must be base64 or none.")
            .ValidateOnStart();

        services.AddSingleton(sp => new TableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new QueueServiceClient(options.ConnectionString, new QueueClientOptions
            {
                // The sender's encoding must be the trigger's, or the trigger never reads the message.
                MessageEncoding = options.MessageEncoding == "base64" ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
            });
        });
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>Reads <c>extensions.queues.messageEncoding</c> from the host.json beside the handler (default base64).</summary>
    public static string ReadMessageEncoding(string appRoot)
    {
        var path = Path.Combine(appRoot, "host.json");
        if (!File.Exists(path)) return "base64";
        var host = JsonNode.Parse(File.ReadAllText(path));
        return host?["extensions"]?["queues"]?["messageEncoding"]?.GetValue<string>()?.ToLowerInvariant() ?? "base64";
    }
}

/// <summary>
/// Creates the hub's tables and queues before the worker connects to the host, so no invocation can
/// arrive before storage is ready: <see cref="StartingAsync"/> runs before any hosted service starts,
/// the worker's own gRPC connection among them.
/// </summary>
internal sealed class StorageInitializer(TableServiceClient tables, QueueServiceClient queues) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        foreach (var queue in StorageNames.Queues) await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
