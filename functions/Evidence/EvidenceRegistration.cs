namespace NotifyHub.Evidence;

public static class EvidenceRegistration
{
    public static IServiceCollection AddEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        var development = Routing.RoutingOptions.IsDevelopment(configuration);
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section)).ValidateDataAnnotations()
            .Validate(o => development || !o.IsDevelopmentKey(),
                "Evidence:SigningKey is the development key committed in functions/local.settings.json, which anyone can read: anchors signed with it " +
                "prove nothing. It is refused outside the Development environment (AZURE_FUNCTIONS_ENVIRONMENT). Make a key of your own: " +
                "openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt")
            .ValidateOnStart();
        services.AddSingleton<EvidenceChanges>();
        services.AddSingleton<EvidenceAnchors>();
        services.AddSingleton<IncidentEvidence>();
        services.AddSingleton<EvidenceLinks>();
        return services;
    }
}
