using NotifyHub.Auth;
using NotifyHub.Functions;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Routing;
using NotifyHub.Storage;

namespace NotifyHub;

/// <summary>Builds the custom handler: services, then every function's endpoint.</summary>
public static class FunctionApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The Functions host starts the handler with its app root and a port of its choosing.
        var appRoot = builder.Configuration["FUNCTIONS_APP_ROOT_PATH"] ?? AppContext.BaseDirectory;
        var port = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] ?? builder.Configuration["Handler:Port"] ?? "5080";
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        // Per-request framework chatter would drown the hub's own events (the host logs every invocation).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddHubServices(builder.Configuration, appRoot);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        MapFunctions(app);
        return app;
    }

    public static IServiceCollection AddHubServices(this IServiceCollection services, IConfiguration configuration, string appRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Empty-bodied answers from authentication and routing get a sentence saying what to do.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized => $"Send a valid API key in the {ApiKeyAuthenticationHandler.Header} header.",
                StatusCodes.Status403Forbidden => "This API key's organisation may not call this endpoint.",
                StatusCodes.Status404NotFound => "There is no such endpoint.",
                StatusCodes.Status405MethodNotAllowed => "This endpoint does not accept that method.",
                _ => null,
            };
        });
        services.AddHubStorage(configuration, appRoot);
        services.AddHubAuth();
        services.AddIncidents(configuration);
        services.AddDirectory(configuration);
        services.AddIncidentRouting(configuration);
        return services;
    }

    private static void MapFunctions(WebApplication app)
    {
        // The host's readiness probe: any answer means ready.
        app.MapGet("/", () => TypedResults.Ok(new { service = "NotifyHub", status = "ready" })).ExcludeFromDescription();

        var api = app.MapGroup(FunctionEndpoints.RoutePrefix);
        IngestIncident.Map(api);
        GetIncidentStatus.Map(api);
        CreateOrganisation.Map(api);
        GetOrganisation.Map(api);
        ListOrganisations.Map(api);
        UpdateOrganisation.Map(api);
        DeactivateOrganisation.Map(api);
        SetOrganisationCoverage.Map(api);
        ImportGiasDirectory.Map(api);
        SeedDemoDirectory.Map(api);
        IssueApiKey.Map(api);
        GetHealth.Map(api);
        ReplayPoisonMessages.Map(api);
        RevokeApiKey.Map(api);

        SweepUnqueuedIncidents.Map(app);
        RouteIncident.Map(app);
    }
}
