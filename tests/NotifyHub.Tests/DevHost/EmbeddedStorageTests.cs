using Azure.Storage.Queues;
using NotifyHub.DevHost;

namespace NotifyHub.Tests.DevHost;

public class EmbeddedStorageTests
{
    [Fact]
    public async Task With_no_storage_configured_the_devhost_runs_its_own_azurite_keeping_data_in_its_folder_and_stops_it_on_dispose()
    {
        using var root = new ScriptRootBuilder().QueueFunction("Work", "embedded-work");
        await using var handler = await FakeHandler.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-embedded-" + Guid.NewGuid().ToString("N")[..8]);
        string connection;
        await using (var host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = root.Path,
            HttpPort = 0,
            StorageConnectionString = null,
            AzuriteFolder = folder,
            AzuritePorts = (0, 0, 0), // the default is 10000-10002; free ports keep tests off a developer's own Azurite
            ExistingHandler = handler.Address,
        }))
        {
            connection = host.StorageConnectionString;
            // The queue its function.json names was created in the embedded account.
            Assert.True(await new QueueClient(connection, "embedded-work").ExistsAsync());
        }

        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(folder));
        var afterStop = new QueueClient(connection, "embedded-work", new QueueClientOptions { Retry = { MaxRetries = 0 } });
        await Assert.ThrowsAnyAsync<Exception>(() => afterStop.ExistsAsync());
        Directory.Delete(folder, recursive: true);
    }
}
