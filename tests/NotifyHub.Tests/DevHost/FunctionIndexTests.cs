using NotifyHub.DevHost;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Functions;
using Microsoft.Extensions.Logging;

namespace NotifyHub.Tests.DevHost;

/// <summary>The worker's function metadata, turned into what the DevHost runs (pure).</summary>
public class FunctionIndexTests
{
    private static readonly HostConfig Host = new("api", QueuesConfig.Default, HostConfig.DefaultFunctionTimeout, new LogLevels(new Dictionary<string, LogLevel>(), LogLevel.Information));

    private static IReadOnlyList<FunctionDefinition> Build(IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? only = null, HostConfig? host = null, params (string Name, string[] Bindings)[] functions) =>
        FunctionIndex.Build(functions.Select(f => new IndexedFunction(f.Name, "id-" + f.Name, f.Bindings)), host ?? Host,
            new AppSettings(settings ?? new Dictionary<string, string?>()), only);

    private const string HttpOut = """{"name":"$return","type":"http","direction":"Out"}""";

    [Fact]
    public void An_http_function_is_matched_at_the_route_prefix_and_its_route_or_else_its_name_with_its_methods()
    {
        var functions = Build(functions:
        [
            ("GetStatus", ["""{"name":"req","type":"httpTrigger","direction":"In","authLevel":"Anonymous","methods":["get"],"route":"incidents/{force}/{reference}"}""", HttpOut]),
            ("Ping", ["""{"name":"req","type":"httpTrigger","direction":"In","methods":["post","put"]}""", HttpOut]),
            ("Any", ["""{"name":"req","type":"httpTrigger","direction":"In","route":"/any"}""", HttpOut]),
        ]);

        Assert.Equal(new HttpFunction("Any", "req", "api/any", []), functions[0]);
        Assert.Equal("api/incidents/{force}/{reference}", ((HttpFunction)functions[1]).Template);
        Assert.Equal(["get"], ((HttpFunction)functions[1]).Methods);
        Assert.Equal("[POST,PUT] /api/Ping", functions[2].Describe());
    }

    [Fact]
    public void An_empty_route_prefix_puts_routes_at_the_root()
    {
        var functions = Build(host: Host with { RoutePrefix = "" }, functions: [("Ping", ["""{"name":"req","type":"httpTrigger","direction":"In"}""", HttpOut])]);
        Assert.Equal("Ping", ((HttpFunction)functions[0]).Template);
    }

    [Fact]
    public void Queue_names_and_schedules_are_resolved_from_app_settings()
    {
        var functions = Build(new Dictionary<string, string?> { ["Q"] = "work-items", ["S"] = "0 */5 * * * *" }, functions:
        [
            ("Work", ["""{"name":"message","type":"queueTrigger","direction":"In","queueName":"%Q%","dataType":"String"}"""]),
            ("Tick", ["""{"name":"timer","type":"timerTrigger","direction":"In","schedule":"%S%","runOnStartup":true}"""]),
        ]);

        Assert.Equal(new TimerFunction("Tick", "timer", "0 */5 * * * *", ((TimerFunction)functions[0]).Schedule, true, null), functions[0]);
        Assert.Equal(new QueueFunction("Work", "message", "work-items", false), functions[1]);
    }

    [Fact]
    public void A_queue_parameter_of_an_SDK_type_is_marked_for_deferred_binding()
    {
        var functions = Build(functions: [("Sdk", ["""{"name":"m","type":"queueTrigger","direction":"In","queueName":"q-sdk","properties":{"supportsDeferredBinding":"True"}}"""])]);
        Assert.True(((QueueFunction)functions[0]).DeferredBinding);
    }

    [Theory]
    [InlineData("""{"name":"m","type":"queueTrigger","direction":"In","queueName":"UPPER"}""", "'UPPER' is not a valid queue name")]
    [InlineData("""{"name":"m","type":"queueTrigger","direction":"In","queueName":"%Missing%"}""", "refers to app setting '%Missing%', which is not set")]
    [InlineData("""{"name":"m","type":"queueTrigger","direction":"In","queueName":"q-ok","connection":"Other"}""", "connection 'Other' is not supported")]
    [InlineData("""{"name":"m","type":"queueTrigger","direction":"In"}""", "needs a \"queueName\"")]
    [InlineData("""{"name":"t","type":"timerTrigger","direction":"In","schedule":"every five minutes"}""", "is not a 6-field NCRONTAB expression")]
    [InlineData("""{"name":"b","type":"serviceBusTrigger","direction":"In","queueName":"q"}""", "binding type 'serviceBusTrigger' is not supported")]
    [InlineData("""{"name":"r","type":"httpTrigger","direction":"In","methods":["fetch"]}""", "unknown HTTP methods fetch")]
    [InlineData("""{"name":"r","type":"httpTrigger","direction":"In","route":"a/{b"}""", "is not a valid route template")]
    [InlineData("""{"type":"queueTrigger"}""", "every binding needs a \"type\" and a \"name\"")]
    [InlineData("""not json""", "a binding is not valid JSON")]
    public void A_binding_the_DevHost_cannot_run_is_refused_naming_the_function(string binding, string expected)
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => Build(functions: [("Broken", [binding])]));
        Assert.StartsWith("Function Broken", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_bindings_other_than_the_HTTP_response_are_refused()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => Build(functions:
        [
            ("Order", ["""{"name":"req","type":"httpTrigger","direction":"In"}""", HttpOut, """{"name":"msg","type":"queue","direction":"Out","queueName":"orders"}"""]),
        ]));
        Assert.Contains("binding 'msg' of type 'queue' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_needs_exactly_one_trigger()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => Build(functions: [("None", [HttpOut])]));
        Assert.Contains("exactly one trigger binding, not 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_under_admin_are_reserved_for_the_host()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => Build(host: Host with { RoutePrefix = "" },
            functions: [("Sneaky", ["""{"name":"req","type":"httpTrigger","direction":"In","route":"admin/functions/x"}""", HttpOut])]));
        Assert.Contains("under /admin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_functions_asked_for_run_and_disabled_ones_do_not_and_an_unknown_name_is_an_error()
    {
        (string, string[])[] functions =
        [
            ("A", ["""{"name":"t","type":"timerTrigger","direction":"In","schedule":"0 0 * * * *"}"""]),
            ("B", ["""{"name":"t","type":"timerTrigger","direction":"In","schedule":"%Unset%"}"""]),
            ("C", ["""{"name":"t","type":"timerTrigger","direction":"In","schedule":"0 0 * * * *"}"""]),
        ];

        Assert.Equal(["A"], Build(only: ["a"], functions: functions).Select(f => f.Name));
        Assert.Equal(["A"], Build(new Dictionary<string, string?> { ["AzureWebJobs.C.Disabled"] = "true" }, only: ["A", "C"], functions: functions).Select(f => f.Name));
        var error = Assert.Throws<DevHostConfigurationException>(() => Build(only: ["D"], functions: functions));
        Assert.Contains("Known: A, B, C", error.Message, StringComparison.Ordinal);
    }
}
