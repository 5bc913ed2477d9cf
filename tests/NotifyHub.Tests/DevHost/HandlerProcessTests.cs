using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class HandlerProcessTests
{
    [Fact]
    public async Task The_DevHost_starts_the_real_function_app_waits_until_it_answers_and_stops_it_on_dispose()
    {
        var host = await StartRealFunctionAppAsync();
        int pid;
        await using (host)
        {
            pid = host.HandlerProcessId!.Value;
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using var response = await client.GetAsync(host.HandlerAddress);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            if (OperatingSystem.IsLinux())
            {
                var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
                Assert.Contains($"FUNCTIONS_CUSTOMHANDLER_PORT={host.HandlerAddress.Port}", environment);
                Assert.Contains($"FUNCTIONS_HTTPWORKER_PORT={host.HandlerAddress.Port}", environment);
                Assert.Contains("FUNCTIONS_WORKER_RUNTIME=Custom", environment);
                Assert.Contains($"FUNCTIONS_APP_ROOT_PATH={RepoPaths.FunctionsScriptRoot}", environment);
                Assert.Contains($"AzureWebJobsStorage={host.StorageConnectionString}", environment);
                Assert.Contains("NotifyHub__Probe=from-app-settings", environment);
                Assert.Contains(environment, e => e.StartsWith("FUNCTIONS_CUSTOMHANDLER_WORKER_ID=", StringComparison.Ordinal));
            }
        }

        Assert.True(HasExited(pid), "the handler process should be stopped when the DevHost is disposed");
        Assert.True(host.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task When_the_handler_process_dies_the_DevHost_stops_and_its_completion_faults()
    {
        await using var host = await StartRealFunctionAppAsync();

        Process.GetProcessById(host.HandlerProcessId!.Value).Kill();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Completion.WaitAsync(Eventually.DefaultTimeout));
        Assert.Contains("exited unexpectedly", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_exits_during_start_up_fails_the_start_with_its_output()
    {
        // A command on the PATH, with %Setting% expanded in its arguments.
        using var root = new ScriptRootBuilder(executable: "sh", arguments: ["-c", "echo boom-%Flavour% >&2; exit 3"]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = root.Path,
            HttpPort = 0,
            StorageConnectionString = await TestStorage.ConnectionStringAsync(),
            AppSettings = new Dictionary<string, string?> { ["Flavour"] = "vanilla" },
        }));

        Assert.Contains("code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("boom-vanilla", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<RunningDevHost> StartRealFunctionAppAsync()
    {
        // The function app binds FUNCTIONS_CUSTOMHANDLER_PORT itself once it is a full custom
        // handler; ASPNETCORE_URLS makes the skeleton listen there too, so this test needs neither.
        var port = FreePort();
        return await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = RepoPaths.FunctionsScriptRoot,
            HttpPort = 0,
            HandlerPort = port,
            StorageConnectionString = await TestStorage.ConnectionStringAsync(),
            AppSettings = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["NotifyHub__Probe"] = "from-app-settings",
            },
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
