using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NotifyHub.Hosting;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>The hub's own services, started as the worker starts them, with the settings under test.</summary>
public class StartupChecksTests
{
    private static readonly string CommittedKey =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "functions", "local.settings.json")))!["Values"]!["Routing__ChildIdentityKey"]!.GetValue<string>();

    private static async Task StartAsync(string? environment, string key)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["AzureWebJobsStorage"] = await TestStorage.ConnectionStringAsync(),
            ["Routing:ChildIdentityKey"] = key,
        });
        builder.Services.AddHubServices(builder.Configuration, RepoPaths.FunctionsScriptRoot);
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData(null)]
    public async Task Start_up_refuses_the_committed_development_HMAC_key_outside_Development(string? environment)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(environment, CommittedKey));
        Assert.Contains("committed in functions/local.settings.json", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_accepts_the_committed_key_in_Development_and_a_key_of_your_own_anywhere()
    {
        await StartAsync("Development", CommittedKey);
        await StartAsync("Production", TestKeys.ChildIdentityKey);
    }
}
