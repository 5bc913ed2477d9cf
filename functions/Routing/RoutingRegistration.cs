namespace NotifyHub.Routing;

public static class RoutingRegistration
{
    public static IServiceCollection AddIncidentRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ChildHistoryStore>();
        services.AddSingleton<DeliveryStore>();
        return services;
    }
}
