using System.Net.Http.Json;
using Azure.Storage.Queues;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>Starts a DevHost for one test: free port, the test storage account, attached to a fake handler.</summary>
public static class TestDevHost
{
    public static async Task<RunningDevHost> StartAsync(
        ScriptRootBuilder root, FakeHandler handler, string? hostId = null, string? masterKey = null,
        IReadOnlyDictionary<string, string?>? appSettings = null) =>
        await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = root.Path,
            HttpPort = 0,
            StorageConnectionString = await TestStorage.ConnectionStringAsync(),
            ExistingHandler = handler.Address,
            HostId = hostId ?? TestStorage.UniqueName("host"),
            MasterKey = masterKey,
            AppSettings = appSettings ?? new Dictionary<string, string?>(),
        });

    public static HttpClient Client(RunningDevHost host) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.BaseAddress };

    /// <summary>A client that writes base64 message text, as host.json's default messageEncoding expects.</summary>
    public static async Task<QueueClient> QueueAsync(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(await TestStorage.ConnectionStringAsync(), name, new QueueClientOptions { MessageEncoding = encoding });

    public static async Task<AdminResult> RunAsync(RunningDevHost host, string function, object? body = null, string? key = null)
    {
        using var client = Client(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/functions/{function}?wait=true")
        {
            Content = JsonContent.Create(body ?? new { }),
        };
        if (key is not null) request.Headers.Add("x-functions-key", key);
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AdminResult>())!;
    }
}

public sealed record AdminResult(string Function, bool Succeeded, int? StatusCode, long DurationMs);
