using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NotifyHub.DevHost.Storage;

/// <summary>
/// Runs the Azurite storage emulator (pinned in the repository's package.json) as a child process.
/// Ports may be 0: Azurite then picks free ones and reports them, which lets parallel test runs and
/// a developer's own Azurite live side by side.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";
    // The well-known, public development-storage key that Azurite always accepts.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>Its process, for a caller that stops it gently (SIGTERM lets Azurite save its data; disposing kills it).</summary>
    public int ProcessId => _process.Id;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Finds node_modules/.bin/azurite in <paramref name="startDirectory"/> or a parent.</summary>
    public static string? FindExecutable(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static async Task<Azurite> StartAsync(
        string executable, string dataFolder, int blobPort = 0, int queuePort = 0, int tablePort = 0,
        TimeSpan? startTimeout = null, bool inMemory = false, CancellationToken cancellationToken = default, string? debugLog = null)
    {
        Directory.CreateDirectory(dataFolder);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--blobPort", blobPort.ToString(), "--queuePort", queuePort.ToString(), "--tablePort", tablePort.ToString(),
            // Azurite phones home unless told not to; this machine has no internet.
            "--disableTelemetry",
            // The Azure SDKs may speak a newer service API version than this Azurite release knows.
            "--skipApiVersionCheck",
            "--silent",
        }.Concat(inMemory ? ["--inMemoryPersistence"] : ["--location", dataFolder])
         // Every request logged (slow): for counting storage requests in a benchmark, never for timing.
         .Concat(debugLog is null ? [] : ["--debug", debugLog]))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var ports = new Dictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output)
            {
                output.Add(e.Data);
                var match = ListeningLine().Match(e.Data);
                if (match.Success) ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value);
                if (ports.Count == 3) ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            "Azurite exited during start-up: " + string.Join(Environment.NewLine, Snapshot(output))));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            Kill(process);
            throw new TimeoutException("Azurite did not report its ports in time: " + string.Join(Environment.NewLine, Snapshot(output)));
        }
        catch
        {
            Kill(process);
            throw;
        }

        lock (output)
        {
            return new Azurite(process, ports["Blob"], ports["Queue"], ports["Table"]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines) return lines.ToArray();
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
