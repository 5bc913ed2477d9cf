using System.Net.Http.Headers;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NotifyHub.Auth;
using NotifyHub.DevHost.Storage;
using NotifyHub.Organisations;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.RecipientDirectory;

/// <summary>
/// The function app running in-process on a free port against the test Azurite, with directory tables
/// of its own (a unique table prefix), and an administrator key. One per test or test class: nothing shared.
/// </summary>
public sealed class DirectoryHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Azurite _azurite;

    private DirectoryHub(WebApplication app, Azurite azurite, string connectionString, Uri address, string adminKey)
    {
        _app = app;
        _azurite = azurite;
        ConnectionString = connectionString;
        Address = address;
        Admin = Client(adminKey);
    }

    public string ConnectionString { get; }
    public Uri Address { get; }

    /// <summary>A client that presents an administrator key.</summary>
    public HttpClient Admin { get; }

    public DirectoryStore Store => _app.Services.GetRequiredService<DirectoryStore>();
    public TableServiceClient Tables => _app.Services.GetRequiredService<TableServiceClient>();

    public static async Task<DirectoryHub> StartAsync(params string[] extraArgs)
    {
        // A storage account of its own: fixed ids such as school-100001 never meet another test's rows.
        var azurite = await Azurite.StartAsync(Azurite.FindExecutable(RepoPaths.Root)!,
            Path.Combine(Path.GetTempPath(), "notifyhub-dir-" + Guid.NewGuid().ToString("N")[..8]), inMemory: true);
        try
        {
            var connection = azurite.ConnectionString;
            var app = FunctionApp.Build(["--AzureWebJobsStorage=" + connection, "--Handler:Port=0", "--Routing:ChildIdentityKey=" + TestKeys.ChildIdentityKey,
                "--Logging:LogLevel:Default=Warning", .. extraArgs]);
            await app.StartAsync();
            var address = new Uri(app.Urls.Single());
            var key = await new ApiKeyStore(new TableServiceClient(connection), TimeProvider.System)
                .IssueAsync("hub-administrators", Roles.Admin, null, CancellationToken.None);
            return new DirectoryHub(app, azurite, connection, address, key.Secret);
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
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A client with a police key (authenticated, but not an administrator).</summary>
    public async Task<HttpClient> PoliceClientAsync()
    {
        var key = await new ApiKeyStore(Tables, TimeProvider.System).IssueAsync("test-police", Roles.Police, "TST", CancellationToken.None);
        return Client(key.Secret);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
