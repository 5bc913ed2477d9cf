using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NotifyHub.Organisations.Gias;
using NotifyHub.Organisations.Ods;

namespace NotifyHub.Organisations;

public static class DirectoryRegistration
{
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new DirectoryStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.RoutingCacheFor));
        services.AddSingleton<AreaPathStore>();
        services.AddSingleton<GiasImporter>();
        services.AddSingleton<OdsImporter>();
        return services;
    }
}

