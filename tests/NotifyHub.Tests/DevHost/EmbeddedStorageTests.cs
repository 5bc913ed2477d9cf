using Azure.Storage.Queues;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class EmbeddedStorageTests
{
    [Fact]
    public async Task With_no_storage_configured_the_devhost_runs_its_own_azurite_keeping_data_in_its_folder_and_stops_it_on_dispose()
    {
        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-embedded-" + Guid.NewGuid().ToString("N")[..8]);
        string connection;
        await using (var host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = RepoPaths.TestWorkerRoot,
            HttpPort = 0,
            StorageConnectionString = null,
            AzuriteFolder = folder,
            AzuritePorts = (0, 0, 0), // the default is 10000-10002; free ports keep tests off a developer's own Azurite
            Functions = ["Record"],
            AppSettings = new Dictionary<string, string?> { ["RecordQueue"] = "embedded-work", ["RecordFolder"] = Path.Combine(folder, "record") },
        }))
        {
            connection = host.StorageConnectionString;
            // The queue the worker's function names was created in the embedded account, and the worker was given that account.
            Assert.True(await new QueueClient(connection, "embedded-work").ExistsAsync());
            if (OperatingSystem.IsLinux())
                Assert.Contains($"AzureWebJobsStorage={connection}", (await File.ReadAllTextAsync($"/proc/{host.WorkerProcessId}/environ")).Split('\0'));
        }

        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(folder));
        var afterStop = new QueueClient(connection, "embedded-work", new QueueClientOptions { Retry = { MaxRetries = 0 } });
        // Nothing listens on its port any more: the connection is refused (not some other failure).
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => afterStop.ExistsAsync());
        var socket = Assert.IsType<System.Net.Sockets.SocketException>(Innermost(refused));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, socket.SocketErrorCode);
        Directory.Delete(folder, recursive: true);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}
