namespace NotifyHub.Routing;

public static class RoutingRegistration
{
    public static IServiceCollection AddIncidentRouting(this IServiceCollection services, IConfiguration configuration)
    {
        var development = RoutingOptions.IsDevelopment(configuration);
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateDataAnnotations()
            .Validate(o => development || !RoutingOptions.IsCommittedDevelopmentKey(o.ChildIdentityKey),
                "Routing:ChildIdentityKey is the development key committed in functions/local.settings.json, which anyone can read: it is refused " +
                "outside the Development environment (AZURE_FUNCTIONS_ENVIRONMENT). Set a secret key of your own (e.g. `openssl rand -base64 32`).")
            .ValidateOnStart();
        services.AddSingleton<ChildHistoryStore>();
        services.AddSingleton<IncidentDeliveries>();
        return services;
    }
}
