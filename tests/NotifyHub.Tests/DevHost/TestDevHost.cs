using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>
/// A DevHost running the test worker (tests/NotifyHub.TestWorker) as its isolated worker, on a free port,
/// against the test storage account, with queue names and a record folder of its own. Only the functions a
/// test names run. Dispose stops everything and deletes what it made.
/// </summary>
public sealed class TestWorkerHost : IAsyncDisposable
{
    private readonly string _folder;

    private TestWorkerHost(RunningDevHost host, string folder, string recordQueue, string sdkQueue, string connection)
    {
        Host = host;
        _folder = folder;
        RecordQueueName = recordQueue;
        SdkQueueName = sdkQueue;
        Connection = connection;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    public RunningDevHost Host { get; }
    public HttpClient Http { get; }
    public string Connection { get; }
    public string RecordQueueName { get; }
    public string SdkQueueName { get; }
    public string RecordFolder => Path.Combine(_folder, "record");

    /// <summary>
    /// Starts a DevHost on the test worker. <paramref name="changeHostJson"/> edits a copy of its host.json;
    /// <paramref name="storage"/> replaces the shared test account (an Azurite the test may stop);
    /// <paramref name="storageFaults"/> lets the test fail chosen storage requests of the DevHost's own.
    /// </summary>
    public static async Task<TestWorkerHost> StartAsync(
        IReadOnlyList<string>? functions, Action<JsonObject>? changeHostJson = null, IReadOnlyDictionary<string, string?>? settings = null,
        string? hostId = null, string? masterKey = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null,
        string? storage = null, StorageFaults? storageFaults = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "devhost-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var root = changeHostJson is null ? RepoPaths.TestWorkerRoot : AppCopy.Make(RepoPaths.TestWorkerRoot, Path.Combine(folder, "app"), changeHostJson);

        var recordQueue = TestStorage.UniqueName("record");
        var sdkQueue = TestStorage.UniqueName("sdk");
        var appSettings = new Dictionary<string, string?>
        {
            ["RecordFolder"] = Path.Combine(folder, "record"),
            ["RecordQueue"] = recordQueue,
            ["SdkQueue"] = sdkQueue,
            ["TickSchedule"] = "0 0 0 1 1 *",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) appSettings[name] = value;

        var connection = storage ?? await TestStorage.ConnectionStringAsync();
        try
        {
            var host = await DevHostApp.StartAsync(new DevHostOptions
            {
                ScriptRoot = root,
                HttpPort = 0,
                StorageConnectionString = connection,
                HostId = hostId ?? TestStorage.UniqueName("host"),
                MasterKey = masterKey,
                Functions = functions,
                AppSettings = appSettings,
                ShutdownGrace = TimeSpan.FromSeconds(2),
                WorkerRestartDelay = TimeSpan.FromMilliseconds(200),
                StorageFaults = storageFaults,
            }, loggers);
            return new TestWorkerHost(host, folder, recordQueue, sdkQueue, connection);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>What <paramref name="function"/> recorded, one entry per invocation, in order.</summary>
    public IReadOnlyList<JsonObject> Recorded(string function)
    {
        var file = Path.Combine(RecordFolder, function + ".jsonl");
        if (!File.Exists(file)) return [];
        string text;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)?.AsObject())
            .Where(entry => entry is not null)
            .Select(entry => entry!)
            .ToList();
    }

    /// <summary>A client for one of this host's queues, writing base64 text as host.json's default messageEncoding expects.</summary>
    public QueueClient Queue(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(Connection, name, new QueueClientOptions { MessageEncoding = encoding });

    /// <summary>Runs a queue or timer function now through the admin API and waits for the outcome.</summary>
    public async Task<AdminResult> RunAsync(string function, object? body = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/functions/{function}?wait=true") { Content = JsonContent.Create(body ?? new { }) };
        if (key is not null) request.Headers.Add("x-functions-key", key);
        using var response = await Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AdminResult>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        TryDelete(_folder);
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed record AdminResult(string Function, bool Succeeded, long DurationMs, Guid InvocationId, string? Error);
