using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NotifyHub.Storage;

namespace NotifyHub.Tests.Deployment;

/// <summary>
/// In Azure the storage account has shared-key access off: the hub reaches it with a managed identity, configured the way
/// the Functions host takes it. These tests build the hub's storage clients from such configuration and check where they
/// point, without reaching Azure.
/// </summary>
public class IdentityStorageTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubStorage(configuration, AppContext.BaseDirectory);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void An_account_name_and_a_managed_identity_give_clients_for_the_accounts_public_table_and_queue_endpoints()
    {
        using var services = Services(new()
        {
            ["AzureWebJobsStorage:accountName"] = "nhprodstore",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.True(options.UsesIdentity);
        Assert.Equal(new Uri("https://nhprodstore.table.core.windows.net/"), services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://nhprodstore.queue.core.windows.net/"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal("nhprodstore", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(StorageRegistration.Credential(options));
    }

    [Fact]
    public void Explicit_service_URIs_win_over_the_account_name_for_a_sovereign_cloud_or_a_private_endpoint()
    {
        using var services = Services(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://nhstore.table.core.usgovcloudapi.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://nhstore.queue.core.usgovcloudapi.net/",
        });
        Assert.Equal(new Uri("https://nhstore.table.core.usgovcloudapi.net/"), services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://nhstore.queue.core.usgovcloudapi.net/"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.IsType<Azure.Identity.DefaultAzureCredential>(StorageRegistration.Credential(services.GetRequiredService<IOptions<StorageOptions>>().Value));
    }

    [Fact]
    public void A_connection_string_still_reaches_Azurite_with_its_key()
    {
        using var services = Services(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        Assert.False(services.GetRequiredService<IOptions<StorageOptions>>().Value.UsesIdentity);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Theory]
    [InlineData(null, null, "AzureWebJobsStorage is not set")]
    [InlineData("NH-Prod", null, "is not a storage account name")]
    [InlineData("nhprod", "key", "is not supported: use managedidentity")]
    public void Start_up_refuses_storage_settings_it_cannot_use_and_says_which(string? account, string? credential, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (account is not null) settings["AzureWebJobsStorage:accountName"] = account;
        if (credential is not null) settings["AzureWebJobsStorage:credential"] = credential;
        using var services = Services(settings);
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
