using NotifyHub.DevHost.Storage;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// An Azurite of one test's own, which the test may stop — a real storage outage for whatever uses it — and start
/// again on the same ports with the same data. Dispose stops it and deletes its data.
/// </summary>
public sealed class OwnAzurite : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _folder;
    private Azurite? _running;
    private readonly (int Blob, int Queue, int Table) _ports;

    private OwnAzurite(string executable, string folder, Azurite running)
    {
        _executable = executable;
        _folder = folder;
        _running = running;
        _ports = (running.BlobPort, running.QueuePort, running.TablePort);
        ConnectionString = running.ConnectionString;
    }

    /// <summary>The same whether it is running or not: it comes back on the same ports.</summary>
    public string ConnectionString { get; }

    public static async Task<OwnAzurite> StartAsync()
    {
        var executable = Azurite.FindExecutable(RepoPaths.Root)
            ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root.");
        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-own-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        return new OwnAzurite(executable, folder, await Azurite.StartAsync(executable, folder));
    }

    /// <summary>
    /// Stops it as a service restart would, its data kept (SIGTERM: Azurite saves before it exits; killed, it loses
    /// what it had not saved yet, the DevHost's lock container among it): every request to it is refused until
    /// <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_running is not { } running) return;
        _running = null;
        using (var process = System.Diagnostics.Process.GetProcessById(running.ProcessId))
        using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", running.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // It would not stop by itself: disposing kills it.
            }
        }
        await running.DisposeAsync();
    }

    public async Task StartAgainAsync() =>
        _running ??= await Azurite.StartAsync(_executable, _folder, _ports.Blob, _ports.Queue, _ports.Table);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
