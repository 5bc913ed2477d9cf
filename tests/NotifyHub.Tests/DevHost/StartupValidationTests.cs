using NotifyHub.DevHost;

namespace NotifyHub.Tests.DevHost;

/// <summary>Configuration mistakes fail the start with a message that says what to fix; nothing is started.</summary>
public class StartupValidationTests
{
    private static Task<DevHostConfigurationException> StartFails(string scriptRoot, IReadOnlyDictionary<string, string?>? settings = null) =>
        Assert.ThrowsAsync<DevHostConfigurationException>(() => DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = scriptRoot,
            HttpPort = 0,
            StorageConnectionString = "UseDevelopmentStorage=true",
            ExistingHandler = new Uri("http://127.0.0.1:9"),
            AppSettings = settings ?? new Dictionary<string, string?>(),
        }));

    [Fact]
    public async Task A_missing_script_root_is_a_clear_error()
    {
        var error = await StartFails(Path.Combine(Path.GetTempPath(), "no-such-root-" + Guid.NewGuid()));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_root_without_host_json_is_a_clear_error()
    {
        using var root = new ScriptRootBuilder();
        File.Delete(Path.Combine(root.Path, "host.json"));
        var error = await StartFails(root.Path);
        Assert.Contains("has no host.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_function_json_names_the_file()
    {
        using var root = new ScriptRootBuilder().Function("Broken", """{"bindings": [ {"type": "queueTrigger", """);
        var error = await StartFails(root.Path);
        Assert.Contains(Path.Combine("Broken", "function.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unparseable_schedule_is_a_clear_error()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Tick", "every five minutes");
        var error = await StartFails(root.Path);
        Assert.Contains("'every five minutes' is not a 6-field NCRONTAB expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_from_an_unset_app_setting_is_a_clear_error()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Tick", "%TickSchedule%");
        var error = await StartFails(root.Path);
        Assert.Contains("'%TickSchedule%', which is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_binding_type_is_a_clear_error()
    {
        using var root = new ScriptRootBuilder().Function("Bus",
            """{"bindings":[{"type":"serviceBusTrigger","direction":"in","name":"msg","queueName":"q"}]}""");
        var error = await StartFails(root.Path);
        Assert.Contains("binding type 'serviceBusTrigger' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_function_that_is_not_http_in_http_out_is_refused()
    {
        using var root = new ScriptRootBuilder().Function("Order", """
            {"bindings":[
              {"type":"httpTrigger","direction":"in","name":"req","methods":["post"]},
              {"type":"http","direction":"out","name":"res"},
              {"type":"queue","direction":"out","name":"message","queueName":"orders"}]}
            """);
        var error = await StartFails(root.Path);
        Assert.Contains("HTTP-in/HTTP-out only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_functions_need_enableForwardingHttpRequest()
    {
        using var root = new ScriptRootBuilder(enableForwarding: false).HttpFunction("Ingest", "incidents", "post");
        var error = await StartFails(root.Path);
        Assert.Contains("enableForwardingHttpRequest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_names_from_app_settings_are_resolved_then_validated()
    {
        using var root = new ScriptRootBuilder()
            .TimerFunction("Tick", "%TickSchedule%")
            .QueueFunction("Route", "%RouteQueue%");
        // The schedule resolves to a valid expression; the queue name resolves to an invalid one.
        var settings = new Dictionary<string, string?> { ["TickSchedule"] = "0 */5 * * * *", ["RouteQueue"] = "UPPER-not-allowed" };
        var error = await StartFails(root.Path, settings);
        Assert.Contains("'UPPER-not-allowed' is not a valid queue name", error.Message, StringComparison.Ordinal);
    }
}
