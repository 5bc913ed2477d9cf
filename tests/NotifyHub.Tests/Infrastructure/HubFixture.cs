using System.Net.Http.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Auth;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Storage;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// The whole hub as it runs locally: its own Azurite account, the DevHost, and the real function app
/// (the build output of functions/) started by the DevHost as its isolated worker. One per test class, where
/// tests isolate themselves with their own force codes and references; one per test (the test class creates it in
/// its own IAsyncLifetime) where tests change what the whole hub sees, such as its tables or its health.
/// </summary>
public class HubFixture : IAsyncLifetime
{
    private Azurite? _azurite;
    private string? _folder;

    public RunningDevHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string Storage => _azurite!.ConnectionString;
    public TableServiceClient Tables => new(Storage);
    public QueueServiceClient Queues => new(Storage, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    public string AdminKey { get; private set; } = "";

    /// <summary>The DevHost's and the worker's log, when a class keeps it (null: not kept).</summary>
    public CollectedLogs? Logs { get; protected init; }

    /// <summary>Functions to run (null: all). A class that inspects a queue leaves out its consumer.</summary>
    protected virtual IReadOnlyList<string>? Functions => null;

    protected virtual IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>();

    /// <summary>Every function of the built app except <paramref name="names"/> (read from its functions.metadata).</summary>
    protected static IReadOnlyList<string> AllFunctionsExcept(params string[] names) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsScriptRoot, "functions.metadata")))!.AsArray()
            .Select(f => f!["name"]!.GetValue<string>()).Where(n => !names.Contains(n)).ToList();

    /// <summary>Changes to host.json for this hub (e.g. fewer retries); the script root is then copied to a temp folder.</summary>
    protected virtual Action<System.Text.Json.Nodes.JsonObject>? ChangeHostJson => null;

    public virtual async Task InitializeAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "notifyhub-hub-" + Guid.NewGuid().ToString("N")[..8]);
        _azurite = await Azurite.StartAsync(Azurite.FindExecutable(RepoPaths.Root)!, _folder);
        try
        {
            await StartHostAsync();
        }
        catch
        {
            await _azurite.DisposeAsync(); // never leave an emulator running behind a failed start
            throw;
        }
    }

    private async Task StartHostAsync()
    {
        Host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = ScriptRoot(),
            HttpPort = 0,
            StorageConnectionString = Storage,
            HostId = "tests-" + Guid.NewGuid().ToString("N")[..8],
            Functions = Functions,
            AppSettings = AppSettings,
        }, Logs?.Factory);
        Http = new HttpClient { BaseAddress = Host.BaseAddress };
        var admin = await new ApiKeyStore(Tables, TimeProvider.System).IssueAsync("hub-administrators", Roles.Admin, null, default);
        AdminKey = admin.Secret;
    }

    private string ScriptRoot() =>
        ChangeHostJson is null ? RepoPaths.FunctionsScriptRoot : AppCopy.Make(RepoPaths.FunctionsScriptRoot, Path.Combine(_folder!, "app"), ChangeHostJson);

    /// <summary>Seeds the synthetic demo directory (LA 999; demo mode is on in local.settings.json) through the admin API.</summary>
    public async Task SeedDemoDirectoryAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/directory/demo");
        request.Headers.Add("X-Api-Key", AdminKey);
        (await Http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        await _azurite!.DisposeAsync();
        try { Directory.Delete(_folder!, recursive: true); } catch (IOException) { }
    }

    /// <summary>Creates a police force with a unique code through the admin API and returns its code and key.</summary>
    public async Task<(string ForceCode, string ApiKey)> NewForceAsync()
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        var id = "force-" + code.ToLowerInvariant();
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/admin/organisations")
        {
            Content = JsonContent.Create(new { id, type = OrganisationTypes.PoliceForce, name = "Synthetic force " + code, forceCode = code }),
        };
        create.Headers.Add("X-Api-Key", AdminKey);
        (await Http.SendAsync(create)).EnsureSuccessStatusCode();
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/organisations/{id}/keys");
        issue.Headers.Add("X-Api-Key", AdminKey);
        var response = await Http.SendAsync(issue);
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString()!;
        return (code, key);
    }

    /// <summary>Runs a function now through the DevHost's admin endpoint and waits for it to finish.</summary>
    public async Task RunFunctionAsync(string name, string input = "")
    {
        var response = await Http.PostAsync($"/admin/functions/{name}?wait=true", JsonContent.Create(new { input }));
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(result.GetProperty("succeeded").GetBoolean(), $"{name} failed: {result}");
    }
}
