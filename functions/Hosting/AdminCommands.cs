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
        if (string.IsNullOrWhiteSpace(connection))
        {
            await Console.Error.WriteLineAsync(
                "AzureWebJobsStorage is not set. For the local hub (Azurite on its default ports) run:\n" +
                "  AzureWebJobsStorage=UseDevelopmentStorage=true NotifyHub.Functions create-admin-key");
            return 2;
        }
        var administrator = args.Length > 0 ? args[0] : "hub-administrators";
        var tables = new TableServiceClient(connection);
        await tables.CreateTableIfNotExistsAsync(StorageNames.ApiKeysTable);
        await tables.CreateTableIfNotExistsAsync(StorageNames.AuditTable);
        var issued = await new ApiKeyStore(tables, TimeProvider.System).IssueAsync(administrator, Roles.Admin, null, CancellationToken.None);
        await new AuditTrail(tables, TimeProvider.System).RecordAsync(AuditActor.CommandLine, AuditActions.ApiKeyIssued, [administrator, issued.KeyId],
            new { role = Roles.Admin }, CancellationToken.None);
        await Console.Error.WriteLineAsync($"Issued administrator key {issued.KeyId} for '{administrator}'. It is shown once; the hub keeps only its hash.");
        Console.WriteLine(issued.Secret);
        return 0;
    }
}
