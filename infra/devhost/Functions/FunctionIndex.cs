using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;
using NCrontab;
using NotifyHub.DevHost.Config;

namespace NotifyHub.DevHost.Functions;

/// <summary>One function as the worker described it in its FunctionMetadataResponse (worker indexing).</summary>
internal sealed record IndexedFunction(string Name, string FunctionId, IReadOnlyList<string> RawBindings);

/// <summary>
/// Turns the worker's function metadata into the functions the DevHost runs, resolving <c>%Setting%</c>
/// references and refusing what it cannot run faithfully, with a message that names the function.
/// Pure: tested without a worker.
/// </summary>
internal static class FunctionIndex
{
    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

    public static IReadOnlyList<FunctionDefinition> Build(
        IEnumerable<IndexedFunction> indexed, HostConfig host, AppSettings settings, IReadOnlyList<string>? only)
    {
        var all = indexed.ToList();
        var duplicates = all.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new DevHostConfigurationException($"The worker declared these function names more than once: {string.Join(", ", duplicates)}.");

        if (only is not null)
        {
            var unknown = only.Where(n => !all.Any(f => f.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (unknown.Length > 0)
                throw new DevHostConfigurationException(
                    $"Functions to run not found in the app: {string.Join(", ", unknown)}. Known: {string.Join(", ", all.Select(f => f.Name).Order(StringComparer.Ordinal))}.");
            all = all.Where(f => only.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        }

        var functions = new List<FunctionDefinition>();
        foreach (var function in all.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (settings.Get($"AzureWebJobs.{function.Name}.Disabled") is { } disabled && bool.TryParse(disabled, out var off) && off) continue;
            functions.Add(Parse(function, host, settings));
        }

        var admin = functions.OfType<HttpFunction>().FirstOrDefault(f => f.Template.Equals("admin", StringComparison.OrdinalIgnoreCase)
            || f.Template.StartsWith("admin/", StringComparison.OrdinalIgnoreCase));
        if (admin is not null)
            throw new DevHostConfigurationException($"Function {admin.Name}: the route /{admin.Template} is under /admin, which the host reserves.");
        return functions;
    }

    private static FunctionDefinition Parse(IndexedFunction function, HostConfig host, AppSettings settings)
    {
        var where = $"Function {function.Name}";
        var bindings = function.RawBindings.Select(raw => Binding.Parse(raw, where)).ToList();
        var triggers = bindings.Where(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase)).ToList();
        if (triggers.Count != 1)
            throw new DevHostConfigurationException($"{where} must have exactly one trigger binding, not {triggers.Count}.");
        var trigger = triggers[0];
        var others = bindings.Where(b => b != trigger).ToList();

        switch (trigger.Type.ToLowerInvariant())
        {
            case "httptrigger":
                var outputs = others.Where(b => !(b.Type.Equals("http", StringComparison.OrdinalIgnoreCase) && b.IsOutput)).ToList();
                RequireNoOtherBindings(where, outputs);
                return ParseHttp(function.Name, where, trigger, host);
            case "queuetrigger":
                RequireNoOtherBindings(where, others);
                return ParseQueue(function.Name, where, trigger, settings);
            case "timertrigger":
                RequireNoOtherBindings(where, others);
                return ParseTimer(function.Name, where, trigger, settings);
            default:
                throw new DevHostConfigurationException(
                    $"{where}: binding type '{trigger.Type}' is not supported by the DevHost (it runs httpTrigger, queueTrigger and timerTrigger).");
        }
    }

    private static HttpFunction ParseHttp(string name, string where, Binding trigger, HostConfig host)
    {
        // Exactly as the worker's router builds it (FunctionsEndpointDataSource): prefix, slash, route or name.
        var route = trigger.Json.String("route") ?? name;
        var template = host.RoutePrefix.Length == 0 ? route.TrimStart('/') : host.RoutePrefix + "/" + route.TrimStart('/');
        try
        {
            RoutePatternFactory.Parse(template);
        }
        catch (RoutePatternException e)
        {
            throw new DevHostConfigurationException($"{where}: route '{route}' is not a valid route template: {e.Message}", e);
        }

        IReadOnlyList<string> methods = [];
        if (trigger.Json.Property("methods") is { ValueKind: JsonValueKind.Array } list)
        {
            methods = list.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText()).ToArray();
            var bad = methods.Where(m => !HttpMethods.Contains(m.ToUpperInvariant())).ToArray();
            if (bad.Length > 0)
                throw new DevHostConfigurationException($"{where}: unknown HTTP methods {string.Join(", ", bad)}.");
        }
        return new HttpFunction(name, trigger.Name, template, methods);
    }

    private static QueueFunction ParseQueue(string name, string where, Binding trigger, AppSettings settings)
    {
        var queueName = trigger.Json.String("queueName")
            ?? throw new DevHostConfigurationException($"{where}: the queueTrigger needs a \"queueName\".");
        queueName = settings.Expand(queueName, where + " queueName");
        if (!QueueNames.IsValid(queueName))
            throw new DevHostConfigurationException(
                $"{where}: '{queueName}' is not a valid queue name (3–63 lowercase letters, digits and single hyphens).");
        if (trigger.Json.String("connection") is { Length: > 0 } connection && connection != "AzureWebJobsStorage")
            throw new DevHostConfigurationException(
                $"{where}: connection '{connection}' is not supported; the DevHost reads queues from AzureWebJobsStorage only.");
        var deferred = trigger.Json.Property("properties")?.String("supportsDeferredBinding") is { } flag
            && bool.TryParse(flag, out var supports) && supports;
        return new QueueFunction(name, trigger.Name, queueName, deferred);
    }

    private static TimerFunction ParseTimer(string name, string where, Binding trigger, AppSettings settings)
    {
        var expression = trigger.Json.String("schedule")
            ?? throw new DevHostConfigurationException($"{where}: the timerTrigger needs a \"schedule\".");
        expression = settings.Expand(expression, where + " schedule");
        var schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new DevHostConfigurationException(
                $"{where}: schedule '{expression}' is not a 6-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).");
        return new TimerFunction(name, trigger.Name, expression, schedule,
            trigger.Json.Bool("runOnStartup") ?? false, trigger.Json.Bool("useMonitor"));
    }

    private static void RequireNoOtherBindings(string where, List<Binding> others)
    {
        if (others.Count > 0)
            throw new DevHostConfigurationException(
                $"{where}: binding '{others[0].Name}' of type '{others[0].Type}' is not supported by the DevHost; functions take their trigger " +
                "only (and HTTP functions their HTTP response): send messages and write tables with the SDK clients.");
    }

    private sealed record Binding(string Type, string Name, bool IsOutput, JsonElement Json)
    {
        public static Binding Parse(string raw, string where)
        {
            JsonElement json;
            try
            {
                using var doc = JsonDocument.Parse(raw, ConfigJson.DocumentOptions);
                json = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new DevHostConfigurationException($"{where}: a binding is not valid JSON: {e.Message}", e);
            }
            var type = json.String("type");
            var name = json.String("name");
            if (string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(name))
                throw new DevHostConfigurationException($"{where}: every binding needs a \"type\" and a \"name\".");
            var direction = json.String("direction") ?? "in";
            return new Binding(type, name, direction.Equals("out", StringComparison.OrdinalIgnoreCase) || direction.Equals("inout", StringComparison.OrdinalIgnoreCase), json);
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
