using Azure.Data.Tables;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace NotifyHub.Delivery;

public static class DeliveryRegistration
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        var development = Routing.RoutingOptions.IsDevelopment(configuration);
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateDataAnnotations()
            .Validate(o => development || !Routing.RoutingOptions.IsCommittedDevelopmentKey(o.LinkSigningKey),
                "Delivery:LinkSigningKey is the development key committed in functions/local.settings.json, which anyone can read: it is refused " +
                "outside the Development environment (AZURE_FUNCTIONS_ENVIRONMENT). Set a secret key of your own (e.g. `openssl rand -base64 32`).")
            .Validate(o => development || !Routing.RoutingOptions.IsCommittedDevelopmentKey(o.LinkSigningPreviousKey),
                "Delivery:LinkSigningPreviousKey is the development key committed in functions/local.settings.json: links signed with it would open, " +
                "and anyone can make them. It is refused outside the Development environment; give the key being retired, or nothing.")
            .Validate(o => development || !Routing.RoutingOptions.IsCommittedDevelopmentKey(o.WebhookSecretKey),
                "Delivery:WebhookSecretKey is the development key committed in functions/local.settings.json, which anyone can read: it is refused " +
                "outside the Development environment (AZURE_FUNCTIONS_ENVIRONMENT). Set a secret key of your own (e.g. `openssl rand -base64 32`).")
            .Validate(o => development || !o.AllowHttpToLoopback,
                "Delivery:AllowHttpToLoopback is for local development only: it is refused outside the Development environment.")
            .ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations()
            .Validate(o => development || o.RequireTls,
                "Email:RequireTls=false sends email, and the safeguarding links in it, in clear when the server or anyone in between offers no TLS: " +
                "it is for the local mail catcher only, and refused outside the Development environment (AZURE_FUNCTIONS_ENVIRONMENT). Remove the setting.")
            .ValidateOnStart();

        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookSender.CreateHandler(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value))
            .AddResilienceHandler("webhook-endpoint", (pipeline, context) =>
                WebhookSender.ConfigurePipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value))
            .SelectPipelineByAuthority();
        services.AddSingleton<OpenDeliveries>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.SecretProtector());
        services.AddSingleton(sp => new WebhookEndpointStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<WebhookSecretProtector>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebhookEndpointStore>>(), WebhookEndpointStore.SendingCacheFor));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<RecipientNotifications>();
        services.AddSingleton<RecipientCache>();
        return services;
    }
}
