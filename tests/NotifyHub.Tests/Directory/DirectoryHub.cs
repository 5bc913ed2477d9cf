using System.Net.Http.Headers;
using Azure.Data.Tables;
using NotifyHub.Auth;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Storage;
using NotifyHub.Organisations;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>
/// The function app hosted by the DevHost with a storage account of its own (an in-memory Azurite), and an
/// administrator key. One per test or test class: nothing shared. <see cref="Store"/> reads the same tables
/// directly, to check what the API wrote.
/// </summary>
public sealed class DirectoryHub : IAsyncDisposable
{
    private readonly RunningDevHost _host;
    private readonly Azurite _azurite;

    private DirectoryHub(RunningDevHost host, Azurite azurite, string adminKey)
    {
        _host = host;
        _azurite = azurite;
        ConnectionString = azurite.ConnectionString;
        Address = host.BaseAddress;
        Tables = new TableServiceClient(ConnectionString);
        Store = new DirectoryStore(Tables, TimeProvider.System);
        Admin = Client(adminKey);
    }

    public string ConnectionString { get; }
    public Uri Address { get; }

    /// <summary>A client that presents an administrator key.</summary>
    public HttpClient Admin { get; }

    public DirectoryStore Store { get; }
    public TableServiceClient Tables { get; }

    /// <param name="settings">App settings for this hub, e.g. <c>Directory__ImportConcurrency</c>.</param>
    public static async Task<DirectoryHub> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // A storage account of its own: fixed ids such as school-100001 never meet another test's rows.
        var azurite = await Azurite.StartAsync(Azurite.FindExecutable(RepoPaths.Root)!,
            Path.Combine(Path.GetTempPath(), "notifyhub-dir-" + Guid.NewGuid().ToString("N")[..8]), inMemory: true);
        try
        {
            var host = await DevHostApp.StartAsync(new DevHostOptions
            {
                ScriptRoot = RepoPaths.FunctionsScriptRoot,
                HttpPort = 0,
                StorageConnectionString = azurite.ConnectionString,
                HostId = "directory-tests",
                AppSettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
                {
                    ["Routing__ChildIdentityKey"] = TestKeys.ChildIdentityKey,
                },
            });
            var key = await new ApiKeyStore(new TableServiceClient(azurite.ConnectionString), TimeProvider.System)
                .IssueAsync("hub-administrators", Roles.Admin, null, CancellationToken.None);
            return new DirectoryHub(host, azurite, key.Secret);
        }
        catch
        {
            await azurite.DisposeAsync(); // never leave an emulator running behind a failed start
            throw;
        }
    }

    /// <summary>A client presenting <paramref name="apiKey"/>, or no key at all.</summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A client with the key of a real police force (authenticated, but not an administrator).</summary>
    public async Task<HttpClient> PoliceClientAsync()
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var force = new NotifyHub.Domain.Directory.Organisation("force-" + code.ToLowerInvariant(), NotifyHub.Domain.Directory.OrganisationTypes.PoliceForce,
            "Synthetic force " + code, Active: true, ForceCode: code);
        await Store.CreateAsync(force, OrganisationEntity.SourceAdmin, CancellationToken.None);
        var key = await new ApiKeyStore(Tables, TimeProvider.System).IssueAsync(force.Id, Roles.Police, code, CancellationToken.None);
        return Client(key.Secret);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
