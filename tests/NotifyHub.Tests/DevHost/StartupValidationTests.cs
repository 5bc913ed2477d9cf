using NotifyHub.DevHost;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>Configuration mistakes fail the start with a message that says what to fix; nothing is left running.</summary>
public class StartupValidationTests
{
    private static async Task<DevHostConfigurationException> StartFails(string scriptRoot, IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? functions = null) =>
        await Assert.ThrowsAsync<DevHostConfigurationException>(async () => await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = scriptRoot,
            HttpPort = 0,
            StorageConnectionString = await TestStorage.ConnectionStringAsync(),
            AppSettings = settings ?? new Dictionary<string, string?>(),
            Functions = functions,
        }));

    /// <summary>Starts the DevHost on a copy of the test worker changed by <paramref name="change"/>, and returns why it refused.</summary>
    private static async Task<DevHostConfigurationException> StartFailsOnCopy(Action<string> change)
    {
        var folder = AppCopy.Make(RepoPaths.TestWorkerRoot, Path.Combine(Path.GetTempPath(), "devhost-invalid-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            change(folder);
            return await StartFails(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_app_folder_is_a_clear_error()
    {
        var error = await StartFails(Path.Combine(Path.GetTempPath(), "no-such-root-" + Guid.NewGuid()));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host.json", "has no host.json")]
    [InlineData("worker.config.json", "has no worker.config.json")]
    [InlineData("NotifyHub.TestWorker.dll", "the worker NotifyHub.TestWorker.dll named by worker.config.json is missing")]
    public async Task An_app_folder_missing_what_the_host_needs_is_a_clear_error(string file, string expected)
    {
        var error = await StartFailsOnCopy(f => File.Delete(Path.Combine(f, file)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":"2.0","functionTimeout":"soon"}""", "functionTimeout 'soon' is not a TimeSpan")]
    [InlineData("""{"version":"2.0","extensions":{"queues":{"batchSize":64}}}""", "batchSize must be 1–32")]
    [InlineData("""{"version":"2.0","extensions":{"queues":{"messageEncoding":"utf-16"}}}""", "messageEncoding must be 'base64' or 'none'")]
    [InlineData("""{"version":"2.0","extensions":{"queues":{"newBatchThreshold":-1}}}""", "newBatchThreshold must be 0–1000")]
    [InlineData("""{"version":"2.0","logging":{"logLevel":{"default":"Loud"}}}""", "logging.logLevel.default must be one of")]
    [InlineData("""{"version": "2.0", """, "is not valid JSON")]
    public async Task An_invalid_host_json_names_the_setting(string hostJson, string expected)
    {
        var error = await StartFailsOnCopy(f => File.WriteAllText(Path.Combine(f, "host.json"), hostJson));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_from_an_unset_app_setting_is_a_clear_error()
    {
        var error = await StartFails(RepoPaths.TestWorkerRoot, functions: ["Tick"]);
        Assert.Contains("Function Tick schedule refers to app setting '%TickSchedule%', which is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_to_run_is_a_clear_error_naming_the_known_ones()
    {
        var error = await StartFails(RepoPaths.TestWorkerRoot, functions: ["Nope"]);
        Assert.Contains("Functions to run not found in the app: Nope", error.Message, StringComparison.Ordinal);
        Assert.Contains("Echo", error.Message, StringComparison.Ordinal);
    }
}
