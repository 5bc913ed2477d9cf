using System.Text.Json.Nodes;

namespace NotifyHub.Tests.DevHost;

/// <summary>A throw-away script root in a temp folder: host.json plus the function.json files a test writes.</summary>
public sealed class ScriptRootBuilder : IDisposable
{
    public ScriptRootBuilder(
        int maxDequeueCount = 5, string messageEncoding = "base64", string visibilityTimeout = "00:00:00",
        string executable = "unused-fake-handler", string[]? arguments = null, bool enableForwarding = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "devhost-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
        HostJson = new JsonObject
        {
            ["version"] = "2.0",
            ["customHandler"] = new JsonObject
            {
                ["description"] = new JsonObject
                {
                    ["defaultExecutablePath"] = executable,
                    ["arguments"] = new JsonArray((arguments ?? []).Select(a => (JsonNode)a).ToArray()),
                },
                ["enableForwardingHttpRequest"] = enableForwarding,
            },
            ["extensions"] = new JsonObject
            {
                ["http"] = new JsonObject { ["routePrefix"] = "api" },
                ["queues"] = new JsonObject
                {
                    ["batchSize"] = 8,
                    ["maxPollingInterval"] = "00:00:00.5",
                    ["visibilityTimeout"] = visibilityTimeout,
                    ["maxDequeueCount"] = maxDequeueCount,
                    ["messageEncoding"] = messageEncoding,
                },
            },
        };
        WriteHostJson();
    }

    public string Path { get; }
    public JsonObject HostJson { get; }

    public void WriteHostJson() => File.WriteAllText(System.IO.Path.Combine(Path, "host.json"), HostJson.ToJsonString());

    public ScriptRootBuilder Function(string name, string functionJson)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "function.json"), functionJson);
        return this;
    }

    public ScriptRootBuilder QueueFunction(string name, string queue, string binding = "message") =>
        Function(name, $$"""{"bindings":[{"type":"queueTrigger","direction":"in","name":"{{binding}}","queueName":"{{queue}}","connection":"AzureWebJobsStorage"}]}""");

    public ScriptRootBuilder TimerFunction(string name, string schedule, bool runOnStartup = false, bool? useMonitor = null, string binding = "timer") =>
        Function(name, $$"""{"bindings":[{"type":"timerTrigger","direction":"in","name":"{{binding}}","schedule":"{{schedule}}","runOnStartup":{{(runOnStartup ? "true" : "false")}}{{(useMonitor is { } m ? $",\"useMonitor\":{(m ? "true" : "false")}" : "")}}}]}""");

    public ScriptRootBuilder HttpFunction(string name, string route, params string[] methods) =>
        Function(name, $$"""
            {"bindings":[
              {"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","route":"{{route}}","methods":[{{string.Join(",", methods.Select(m => $"\"{m}\""))}}]},
              {"type":"http","direction":"out","name":"res"}]}
            """);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
