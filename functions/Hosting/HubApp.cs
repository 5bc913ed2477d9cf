using NotifyHub.FrontDoor;
using NotifyHub.Evidence;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Delivery;
using NotifyHub.Incidents;
using NotifyHub.Ledger;
using NotifyHub.Organisations;
using NotifyHub.Retention;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Strategy;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Hosting;

/// <summary>The hub's services and worker middleware, registered in one place.</summary>
public static class HubApp
{
    /// <summary>The Functions host accepts request bodies up to 100 MB; the worker's Kestrel must not refuse less (a GIAS extract is ~60 MB).</summary>
    public const long MaxRequestBodyBytes = 100L * 1024 * 1024;

    public static FunctionsApplicationBuilder AddNotifyHub(this FunctionsApplicationBuilder builder)
    {
        // The host runs the app from its own directory (FUNCTIONS_APPLICATION_DIRECTORY); host.json is there.
        var appRoot = builder.Configuration["FUNCTIONS_APPLICATION_DIRECTORY"] is { Length: > 0 } directory ? directory : AppContext.BaseDirectory;
        // Per-request framework chatter would drown the hub's own events (the host logs every invocation).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.AddHubServices(builder.Configuration, appRoot);
        builder.AddHubTelemetry();

        // Outermost first: every HTTP failure becomes problem+json, then the caller is authenticated and authorised.
        builder.UseMiddleware<HttpProblemsMiddleware>();
        builder.UseMiddleware<ApiKeyMiddleware>();
        // Queue invocations continue the trace their message carries, and count the poisoned.
        builder.UseMiddleware<QueueTelemetryMiddleware>();
        return builder;
    }

    public static IServiceCollection AddHubServices(this IServiceCollection services, IConfiguration configuration, string appRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<HubMetrics>();
        services.AddProblemDetails();
        services.AddHubStorage(configuration, appRoot);
        services.AddHubAuth();
        services.AddSingleton<AuditTrail>();
        services.AddIncidents(configuration);
        services.AddDirectory(configuration);
        services.AddIncidentRouting(configuration);
        services.AddRetention(configuration);
        services.AddDelivery(configuration);
        services.AddTimeliness(configuration);
        services.AddLedger();
        services.AddDecisions();
        services.AddStrategy();
        services.AddFrontDoor();
        services.AddEvidence(configuration);
        return services;
    }
}
