using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Config;

namespace NotifyHub.DevHost.Storage;

/// <summary>
/// With no AzureWebJobsStorage configured, the DevHost runs Azurite itself, by default on the well-known
/// ports (10000–10002), so tools that use <c>UseDevelopmentStorage=true</c> see the same data.
/// </summary>
internal static class DevStorage
{
    public static async Task<Azurite> StartAzuriteAsync(string? folder, (int Blob, int Queue, int Table) ports, string scriptRoot, ILogger logger, CancellationToken cancellationToken)
    {
        var repoRoot = RepoRoot.Find(Directory.GetCurrentDirectory()) ?? RepoRoot.Find(scriptRoot) ?? RepoRoot.Find(AppContext.BaseDirectory);
        folder ??= repoRoot is not null
            ? Path.Combine(repoRoot, ".azurite")
            : throw new DevHostConfigurationException(
                "No AzureWebJobsStorage is configured and the repository root (NotifyHub.sln) is not above the current directory: " +
                "set DevHost:AzuriteFolder (DevHost__AzuriteFolder) or AzureWebJobsStorage.");
        var executable = Azurite.FindExecutable(repoRoot ?? Directory.GetCurrentDirectory()) ?? Azurite.FindExecutable(AppContext.BaseDirectory)
            ?? throw new DevHostConfigurationException("Azurite is not installed: run `npm ci` in the repository root.");

        foreach (var (service, port) in new[] { ("blob", ports.Blob), ("queue", ports.Queue), ("table", ports.Table) })
        {
            if (port != 0 && !IsFree(port))
                throw new DevHostConfigurationException(
                    $"Port {port} (Azurite {service}) is already in use, so the DevHost cannot start its own Azurite. " +
                    "If an Azurite is already running, use it: set AzureWebJobsStorage=UseDevelopmentStorage=true. " +
                    "Otherwise stop whatever holds the port.");
        }

        var azurite = await Azurite.StartAsync(executable, folder, ports.Blob, ports.Queue, ports.Table, cancellationToken: cancellationToken);
        Log.AzuriteStarted(logger, azurite.BlobPort, azurite.QueuePort, azurite.TablePort, folder);
        return azurite;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
