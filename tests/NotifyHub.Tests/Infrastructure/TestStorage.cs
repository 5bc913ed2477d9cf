using NotifyHub.DevHost.Storage;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// The one real storage account a test run uses: Azurite, started once per test process (or the
/// account named by NOTIFYHUB_TEST_STORAGE, which .ci/run sets after starting Azurite itself).
/// Tests isolate themselves with unique table and queue names, never by resetting shared state.
/// </summary>
public static class TestStorage
{
    private static readonly Lazy<Task<string>> Connection = new(StartAsync);
    private static Azurite? _azurite;

    public static Task<string> ConnectionStringAsync() => Connection.Value;

    /// <summary>A short, unique, table- and queue-safe name for one test's resources.</summary>
    public static string UniqueName(string prefix) =>
        (prefix + Guid.NewGuid().ToString("N")[..10]).ToLowerInvariant();

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("NOTIFYHUB_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var executable = Azurite.FindExecutable(RepoPaths.Root)
            ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root.");
        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-tests-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        _azurite = await Azurite.StartAsync(executable, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            _azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        return _azurite.ConnectionString;
    }
}
