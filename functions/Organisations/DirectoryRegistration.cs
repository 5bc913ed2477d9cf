using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NotifyHub.Organisations.Gias;

namespace NotifyHub.Organisations;

public static class DirectoryRegistration
{
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<GiasImporter>();
        services.AddHostedService<DirectoryTablesInitializer>();
        return services;
    }
}

/// <summary>Creates the directory's tables (under their configured prefix) before the handler reports ready.</summary>
internal sealed class DirectoryTablesInitializer(TableServiceClient tables, IOptions<DirectoryOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(options.Value.OrganisationsTable, cancellationToken);
        await tables.CreateTableIfNotExistsAsync(options.Value.IndexTable, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
