using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>
/// <c>dotnet publish</c> of functions/ is what a Functions host runs as it is: the layout Azure expects, and
/// a folder the DevHost (a stand-in for that host) starts and serves from, with nothing local in it.
/// </summary>
public class PublishLayoutTests
{
    [Fact]
    public async Task Scripts_publish_produces_the_deployment_zip_whose_contents_the_Functions_host_runs_as_they_are()
    {
        var output = Path.Combine(Path.GetTempPath(), "notifyhub-publish-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // scripts/publish: the deployment zip the Flex Consumption plan takes (docs/deploy.md), unpacked here as the host unpacks it.
            var package = output + "-package";
            var publish = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "publish"), package])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            };
            using (var process = Process.Start(publish)!)
            {
                var log = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"scripts/publish failed:{Environment.NewLine}{await log}{await errors}");
            }
            System.IO.Compression.ZipFile.ExtractToDirectory(Path.Combine(package, "notifyhub.zip"), output);
            Directory.Delete(package, recursive: true);

            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json", "NotifyHub.Functions.dll" })
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing from the published folder");
            Assert.True(File.Exists(Path.Combine(output, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll")),
                "the host-side queue extension (.azurefunctions/) is missing");
            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")), "local.settings.json holds development values and must not be published");
            Assert.Empty(Directory.EnumerateFiles(output, "function.json", SearchOption.AllDirectories));

            var workerConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "worker.config.json")))!["description"]!;
            Assert.Equal("dotnet-isolated", workerConfig["language"]!.GetValue<string>());
            Assert.Equal("NotifyHub.Functions.dll", workerConfig["defaultWorkerPath"]!.GetValue<string>());
            var extensions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "extensions.json")))!["extensions"]!.AsArray();
            Assert.Contains(extensions, e => e!["name"]!.GetValue<string>() == "AzureStorageQueues");
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "host.json")), await File.ReadAllTextAsync(Path.Combine(output, "host.json")));

            // In Azure the settings come from the app's configuration, not a file.
            await using var host = await DevHostApp.StartAsync(new DevHostOptions
            {
                ScriptRoot = output,
                HttpPort = 0,
                StorageConnectionString = await TestStorage.ConnectionStringAsync(),
                HostId = TestStorage.UniqueName("published"),
                Functions = ["GetHealth", "ReconcileIncidents"],
                AppSettings = new Dictionary<string, string?>
                {
                    ["Routing__ChildIdentityKey"] = TestKeys.ChildIdentityKey,
                    ["Delivery__LinkSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    ["Delivery__WebhookSecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    ["Delivery__PublicBaseUrl"] = "https://notifyhub.example.org",
                    ["Evidence__SigningKey"] = TestKeys.EvidenceSigningKey,
                    ["ReconcileIncidentsSchedule"] = "0 0 0 1 1 *",
                },
            });
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            using var response = await client.GetAsync("api/admin/health");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }
}
