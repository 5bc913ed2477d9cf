using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;
using NCrontab;

namespace NotifyHub.DevHost.Config;

/// <summary>A loaded and validated script root: host.json and the functions to run.</summary>
internal sealed record ScriptRoot(string Path, HostConfig Host, AppSettings Settings, IReadOnlyList<FunctionDefinition> Functions)
{
    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

    public static ScriptRoot Load(DevHostOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ScriptRoot))
            throw new DevHostConfigurationException("DevHostOptions.ScriptRoot is required.");
        var root = System.IO.Path.GetFullPath(options.ScriptRoot);
        if (!Directory.Exists(root))
            throw new DevHostConfigurationException(
                $"The script root {root} does not exist. Build the function app first (dotnet build) or pass --script-root.");
        var hostJson = System.IO.Path.Combine(root, "host.json");
        if (!File.Exists(hostJson))
            throw new DevHostConfigurationException($"The script root {root} has no host.json: is it the function app's build output?");

        var host = HostConfig.Parse(hostJson);
        var settings = AppSettings.Load(root, options.AppSettings);

        var functions = new List<FunctionDefinition>();
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var functionJson = System.IO.Path.Combine(folder, "function.json");
            if (!File.Exists(functionJson)) continue;
            var name = System.IO.Path.GetFileName(folder);
            if (ParseFunction(name, functionJson, host, settings) is { } function) functions.Add(function);
        }

        if (options.Functions is { } allowList)
        {
            var unknown = allowList.Where(n => !functions.Any(f => f.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (unknown.Length > 0)
                throw new DevHostConfigurationException(
                    $"Functions to run not found in {root}: {string.Join(", ", unknown)}. Known: {string.Join(", ", functions.Select(f => f.Name))}.");
            functions = functions.Where(f => allowList.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        }

        if (functions.Count > 0 && options.ExistingHandler is null && string.IsNullOrWhiteSpace(host.CustomHandler.DefaultExecutablePath))
            throw new DevHostConfigurationException($"{hostJson}: customHandler.description.defaultExecutablePath is required.");

        return new ScriptRoot(root, host, settings, functions);
    }

    private static FunctionDefinition? ParseFunction(string name, string path, HostConfig host, AppSettings settings)
    {
        using (var doc = ConfigJson.ParseFile(path))
        {
            var json = doc.RootElement;
            if (json.Bool("disabled") == true) return null;
            if (settings.Get($"AzureWebJobs.{name}.Disabled") is { } disabled && bool.TryParse(disabled, out var off) && off) return null;

            if (json.Property("bindings") is not { ValueKind: JsonValueKind.Array } bindingsJson)
                throw new DevHostConfigurationException($"{path} has no \"bindings\" array.");
            var bindings = bindingsJson.EnumerateArray().Select(b => Binding.Parse(b, path)).ToList();

            var triggers = bindings.Where(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase)).ToList();
            if (triggers.Count != 1)
                throw new DevHostConfigurationException($"{path} must have exactly one trigger binding, not {triggers.Count}.");
            var trigger = triggers[0];
            var others = bindings.Where(b => b != trigger).ToList();

            switch (trigger.Type.ToLowerInvariant())
            {
                case "httptrigger":
                    return ParseHttp(name, path, trigger, others, host);
                case "queuetrigger":
                    RequireNoOtherBindings(path, others);
                    return ParseQueue(name, path, trigger, settings);
                case "timertrigger":
                    RequireNoOtherBindings(path, others);
                    return ParseTimer(name, path, trigger, settings);
                default:
                    throw new DevHostConfigurationException(
                        $"{path}: binding type '{trigger.Type}' is not supported by the DevHost (it runs httpTrigger, queueTrigger and timerTrigger).");
            }
        }
    }

    private static HttpFunction ParseHttp(string name, string path, Binding trigger, List<Binding> others, HostConfig host)
    {
        var httpInOut = others.Count == 1 && others[0].Type.Equals("http", StringComparison.OrdinalIgnoreCase)
            && others[0].Direction.Equals("out", StringComparison.OrdinalIgnoreCase);
        if (!httpInOut)
            throw new DevHostConfigurationException(
                $"{path}: an httpTrigger function must be HTTP-in/HTTP-out only (one httpTrigger and one 'http' out binding); " +
                "the DevHost only forwards HTTP requests and does not build HTTP invocation payloads.");
        if (!host.CustomHandler.EnableForwardingHttpRequest)
            throw new DevHostConfigurationException(
                $"{path} is an HTTP function but host.json customHandler.enableForwardingHttpRequest is not true; the DevHost only supports forwarding.");

        var route = (trigger.Json.String("route") ?? name).Trim('/');
        try
        {
            RoutePatternFactory.Parse(route);
        }
        catch (RoutePatternException e)
        {
            throw new DevHostConfigurationException($"{path}: route '{route}' is not a valid route template: {e.Message}", e);
        }

        IReadOnlyList<string>? methods = null;
        if (trigger.Json.Property("methods") is { ValueKind: JsonValueKind.Array } list)
        {
            methods = list.EnumerateArray().Select(m => (m.GetString() ?? "").ToUpperInvariant()).ToArray();
            var bad = methods.Where(m => !HttpMethods.Contains(m)).ToArray();
            if (bad.Length > 0)
                throw new DevHostConfigurationException($"{path}: unknown HTTP methods {string.Join(", ", bad)}.");
            if (methods.Count == 0) methods = null;
        }

        return new HttpFunction(name, route, methods);
    }

    private static QueueFunction ParseQueue(string name, string path, Binding trigger, AppSettings settings)
    {
        var queueName = trigger.Json.String("queueName")
            ?? throw new DevHostConfigurationException($"{path}: the queueTrigger needs a \"queueName\".");
        queueName = settings.Expand(queueName, path + " queueName");
        if (!QueueNames.IsValid(queueName))
            throw new DevHostConfigurationException(
                $"{path}: '{queueName}' is not a valid queue name (3–63 lowercase letters, digits and single hyphens).");
        if (trigger.Json.String("connection") is { Length: > 0 } connection && connection != "AzureWebJobsStorage")
            throw new DevHostConfigurationException(
                $"{path}: connection '{connection}' is not supported; the DevHost reads queues from AzureWebJobsStorage only.");
        return new QueueFunction(name, trigger.Name, queueName);
    }

    private static TimerFunction ParseTimer(string name, string path, Binding trigger, AppSettings settings)
    {
        var expression = trigger.Json.String("schedule")
            ?? throw new DevHostConfigurationException($"{path}: the timerTrigger needs a \"schedule\".");
        expression = settings.Expand(expression, path + " schedule");
        var schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new DevHostConfigurationException(
                $"{path}: schedule '{expression}' is not a 6-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).");
        return new TimerFunction(name, trigger.Name, expression, schedule,
            trigger.Json.Bool("runOnStartup") ?? false, trigger.Json.Bool("useMonitor"));
    }

    private static void RequireNoOtherBindings(string path, List<Binding> others)
    {
        if (others.Count > 0)
            throw new DevHostConfigurationException(
                $"{path}: binding type '{others[0].Type}' is not supported by the DevHost; queue and timer functions " +
                "take their trigger only (send messages and write tables with the SDK).");
    }

    private sealed record Binding(string Type, string Direction, string Name, JsonElement Json)
    {
        public static Binding Parse(JsonElement json, string path)
        {
            var type = json.String("type");
            var name = json.String("name");
            if (string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(name))
                throw new DevHostConfigurationException($"{path}: every binding needs a \"type\" and a \"name\".");
            return new Binding(type, json.String("direction") ?? "in", name, json.Clone());
        }
    }
}

internal static class QueueNames
{
    public static bool IsValid(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
}
