using NotifyHub.Audit;
using Azure.Data.Tables;
using NotifyHub.Auth;
using NotifyHub.Storage;

namespace NotifyHub.Hosting;

/// <summary>
/// Command-line administration that needs no running hub: bootstrapping the first administrator key.
/// Uses the same storage connection (<c>AzureWebJobsStorage</c>) as the handler.
/// </summary>
public static class AdminCommands
{
    public const string CreateAdminKey = "create-admin-key";

    public static async Task<int> CreateAdminKeyAsync(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        // In Azure (shared-key access off): the account by name, signed in as whoever runs this (az login) or a managed identity.
        var identity = new StorageOptions
        {
            AccountName = Environment.GetEnvironmentVariable("AzureWebJobsStorage__accountName") ?? "",
            TableServiceUri = Environment.GetEnvironmentVariable("AzureWebJobsStorage__tableServiceUri") ?? "",
            ClientId = Environment.GetEnvironmentVariable("AzureWebJobsStorage__clientId") ?? "",
        };
        if (string.IsNullOrWhiteSpace(connection) && identity.AccountName.Length == 0 && identity.TableServiceUri.Length == 0)
        {
            await Console.Error.WriteLineAsync(
                "AzureWebJobsStorage is not set. For the local hub (Azurite on its default ports) run:\n" +
                "  AzureWebJobsStorage=UseDevelopmentStorage=true NotifyHub.Functions create-admin-key\n" +
                "For a storage account in Azure, signed in with az login (Storage Table Data Contributor on the account):\n" +
                "  AzureWebJobsStorage__accountName=<account> NotifyHub.Functions create-admin-key");
            return 2;
        }
        var administrator = args.Length > 0 ? args[0] : "hub-administrators";
        var tables = string.IsNullOrWhiteSpace(connection)
            ? new TableServiceClient(identity.TableEndpoint(), StorageRegistration.Credential(identity))
            : new TableServiceClient(connection);
        await tables.CreateTableIfNotExistsAsync(StorageNames.ApiKeysTable);
        await tables.CreateTableIfNotExistsAsync(StorageNames.AuditTable);
        var issued = await new ApiKeyStore(tables, TimeProvider.System).IssueAsync(administrator, Roles.Admin, null, CancellationToken.None);
        await new AuditTrail(tables, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditTrail>.Instance).RecordAsync(AuditActor.CommandLine, AuditActions.ApiKeyIssued, [administrator, issued.KeyId],
            new { role = Roles.Admin }, CancellationToken.None);
        await Console.Error.WriteLineAsync($"Issued administrator key {issued.KeyId} for '{administrator}'. It is shown once; the hub keeps only its hash.");
        Console.WriteLine(issued.Secret);
        return 0;
    }
}
