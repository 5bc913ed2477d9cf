using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>
/// The Functions host knows the app only through the build's functions.metadata; operators and clients
/// know it through the README's API table. These tests hold the code, the metadata and the README against
/// each other so that none can drift.
/// </summary>
public partial class FunctionContractTests
{
    private sealed record Declared(string Name, string Trigger, string? Route, string[] Methods, string? Queue, string? Schedule, string EntryPoint, JsonArray Bindings);

    private sealed record Documented(string Name, string Trigger, string? Route, string[] Methods, string? Queue, string? Schedule, string Who);

    private static IReadOnlyList<Declared> Metadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsScriptRoot, "functions.metadata")))!.AsArray()
            .Select(f =>
            {
                var bindings = f!["bindings"]!.AsArray();
                var trigger = bindings.Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;
                return new Declared(
                    f["name"]!.GetValue<string>(),
                    trigger["type"]!.GetValue<string>(),
                    trigger["route"]?.GetValue<string>(),
                    trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order().ToArray() ?? [],
                    trigger["queueName"]?.GetValue<string>(),
                    trigger["schedule"]?.GetValue<string>(),
                    f["entryPoint"]!.GetValue<string>(),
                    bindings);
            })
            .ToList();

    /// <summary>The README's API table: | function | `METHOD /api/route` or queue `name` or timer `%Setting%` | who |.</summary>
    private static IReadOnlyList<Documented> ReadmeApiTable()
    {
        var rows = new List<Documented>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "README.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || !FunctionName().IsMatch(cells[1])) continue;
            var code = Code().Match(cells[2]).Groups["code"].Value;
            if (cells[2].StartsWith("queue", StringComparison.Ordinal))
                rows.Add(new Documented(cells[1], "queueTrigger", null, [], code, null, cells[3]));
            else if (cells[2].StartsWith("timer", StringComparison.Ordinal))
                rows.Add(new Documented(cells[1], "timerTrigger", null, [], null, code, cells[3]));
            else
            {
                var parts = code.Split(' ', 2);
                rows.Add(new Documented(cells[1], "httpTrigger", parts[1].Split('?')[0], [parts[0]], null, null, cells[3]));
            }
        }
        return rows;
    }

    [GeneratedRegex("^[A-Z][A-Za-z]+$")] private static partial Regex FunctionName();
    [GeneratedRegex("`(?<code>[^`]+)`")] private static partial Regex Code();

    private static IReadOnlyList<MethodInfo> FunctionMethods() =>
        typeof(ApiKeyMiddleware).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToList();

    [Fact]
    public void The_source_has_no_function_json_and_the_builds_functions_metadata_lists_every_function()
    {
        var functionJsonFiles = Directory.EnumerateFiles(RepoPaths.FunctionsSource, "function.json", SearchOption.AllDirectories).ToList();
        Assert.True(functionJsonFiles.Count == 0, "function.json in the source: " + string.Join(", ", functionJsonFiles));
        var declared = Metadata().Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FunctionMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).Order(StringComparer.Ordinal), declared);
        Assert.True(declared.Count >= 16);
    }

    /// <summary>The product's areas: each folder under functions/ that holds functions (docs/architecture.md).</summary>
    private static readonly string[] Areas = ["Intake", "Directory", "Routing", "Delivery", "Timeliness", "Reports", "Operations", "Decisions", "Strategy", "Evidence", "FrontDoor", "Web"];

    [Fact]
    public void Every_function_is_one_file_in_its_area_folder_holding_its_class_with_one_Function_method()
    {
        foreach (var method in FunctionMethods())
        {
            var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            Assert.Equal(name, method.DeclaringType!.Name);
            var files = Directory.EnumerateFiles(RepoPaths.FunctionsSource, name + ".cs", SearchOption.AllDirectories).ToList();
            var file = Assert.Single(files);
            var area = Path.GetRelativePath(RepoPaths.FunctionsSource, Path.GetDirectoryName(file)!);
            Assert.True(Areas.Contains(area), $"{name}.cs is in functions/{area}, which is not one of the areas ({string.Join(", ", Areas)})");
            Assert.Single(method.DeclaringType.GetMethods(), m => m.GetCustomAttribute<FunctionAttribute>() is not null);
        }
    }

    [Fact]
    public void No_function_declares_an_output_binding_other_than_an_HTTP_response()
    {
        foreach (var function in Metadata())
        {
            var outputs = function.Bindings.Where(b => !string.Equals(b!["direction"]!.GetValue<string>(), "In", StringComparison.OrdinalIgnoreCase)).ToList();
            if (function.Trigger == "httpTrigger")
            {
                var output = Assert.Single(outputs);
                Assert.Equal("http", output!["type"]!.GetValue<string>());
            }
            else
            {
                Assert.True(outputs.Count == 0, $"{function.Name} declares output bindings: {string.Join(", ", outputs.Select(o => o!["type"]))}. Send with the SDK clients instead.");
            }
        }
    }

    private static string RoutePrefix() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!["extensions"]?["http"]?["routePrefix"]?.GetValue<string>().Trim('/') ?? "api";

    [Fact]
    public void Every_function_in_functions_metadata_is_in_the_README_API_table_with_its_trigger_route_methods_queue_and_schedule()
    {
        var documented = ReadmeApiTable().ToDictionary(d => d.Name);
        foreach (var function in Metadata())
        {
            Assert.True(documented.TryGetValue(function.Name, out var row), $"{function.Name} is not in the README's API table");
            Assert.Equal(function.Trigger, row!.Trigger);
            switch (function.Trigger)
            {
                case "httpTrigger":
                    Assert.Equal("/" + string.Join('/', new[] { RoutePrefix(), function.Route ?? function.Name }.Where(part => part.Length > 0)), row.Route);
                    Assert.Equal(function.Methods, row.Methods);
                    break;
                case "queueTrigger":
                    Assert.Equal(function.Queue, row.Queue);
                    break;
                default:
                    Assert.Equal(function.Schedule, row.Schedule);
                    break;
            }
        }
        Assert.Equal(Metadata().Select(f => f.Name).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_HTTP_function_declares_the_roles_that_may_call_it_and_the_README_says_the_same()
    {
        var documented = ReadmeApiTable().ToDictionary(d => d.Name);
        foreach (var function in Metadata().Where(f => f.Trigger == "httpTrigger"))
        {
            var roles = ApiKeyMiddleware.RolesOf(function.EntryPoint);
            var who = documented[function.Name].Who;
            if (ApiKeyMiddleware.TakesLink(function.EntryPoint))
            {
                Assert.Empty(roles);
                Assert.True(who is "email link" or "dashboard link" or "evidence link", $"{function.Name} is opened by a link, but the README says '{who}'");
                continue;
            }
            if (ApiKeyMiddleware.IsPublic(function.EntryPoint))
            {
                Assert.Empty(roles);
                Assert.True(who == "anyone", $"{function.Name} is open to anyone, but the README says '{who}'");
                continue;
            }
            Assert.True(roles.Count > 0, $"{function.Name} has no [RequiresRole]: nobody could call it");
            // "who" lists the callers, comma-separated: "admin key, partnership lead key, police force key".
            var expected = who.Split(", ").SelectMany(part => part switch
            {
                "any key" => new[] { Roles.Admin, Roles.Police, Roles.Recipient, Roles.Partnership },
                _ when part.Contains("admin", StringComparison.Ordinal) => [Roles.Admin],
                _ when part.Contains("force", StringComparison.Ordinal) => [Roles.Police],
                _ when part.Contains("recipient", StringComparison.Ordinal) => [Roles.Recipient],
                _ when part.Contains("partnership lead", StringComparison.Ordinal) => [Roles.Partnership],
                _ when part.Contains("inspector", StringComparison.Ordinal) => [Roles.Inspector],
                _ => ["?"],
            }).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, roles.Order(StringComparer.Ordinal).ToList());
        }
    }

    [Fact]
    public void Every_app_setting_a_trigger_refers_to_is_set_for_local_runs()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsSource, "local.settings.json")))!["Values"]!.AsObject();
        foreach (var function in Metadata())
        {
            foreach (Match reference in Regex.Matches(function.Bindings.ToJsonString(), "%(?<name>[A-Za-z0-9_]+)%"))
            {
                Assert.True(values.ContainsKey(reference.Groups["name"].Value), $"{function.Name} refers to %{reference.Groups["name"].Value}%, which local.settings.json does not set");
            }
        }
    }

    [Fact]
    public void Timer_schedules_are_app_settings_so_operators_can_change_them()
    {
        foreach (var timer in Metadata().Where(f => f.Trigger == "timerTrigger"))
        {
            Assert.Matches("^%[A-Za-z0-9_]+%$", timer.Schedule);
        }
    }
}
