using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NotifyHub.Hosting;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>
/// The Functions host knows the app only through function.json files; the handler only through its
/// endpoints. These tests hold the two against each other so that neither can drift.
/// </summary>
public class FunctionContractTests
{
    private sealed record Declared(string Name, string Trigger, string? Route, string[] Methods, string? Queue, JsonObject Bindings);

    private sealed record Implemented(string Name, string Trigger, string Route, string[] Methods, string? Queue);

    private static IReadOnlyList<Declared> DeclaredFunctions() =>
        Directory.GetDirectories(RepoPaths.FunctionsSource)
            .Where(dir => File.Exists(Path.Combine(dir, "function.json")))
            .Select(dir =>
            {
                var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "function.json")))!.AsObject();
                var bindings = json["bindings"]!.AsArray();
                var trigger = bindings.Single(b => b!["direction"]!.GetValue<string>() == "in" && b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;
                return new Declared(
                    Path.GetFileName(dir),
                    trigger["type"]!.GetValue<string>(),
                    trigger["route"]?.GetValue<string>(),
                    trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order().ToArray() ?? [],
                    trigger["queueName"]?.GetValue<string>(),
                    json);
            })
            .ToList();

    private static IReadOnlyList<Implemented> ImplementedFunctions()
    {
        var app = FunctionApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true"]);
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(endpoint => (endpoint, binding: endpoint.Metadata.GetMetadata<FunctionBinding>()))
            .Where(e => e.binding is not null)
            .Select(e => new Implemented(
                e.binding!.FunctionName,
                e.binding.TriggerType,
                e.endpoint.RoutePattern.RawText!.TrimStart('/'),
                e.endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Order().ToArray() ?? [],
                e.binding.QueueName))
            .ToList();
    }

    [Fact]
    public void Every_function_json_has_a_handler_with_the_same_trigger_route_methods_and_queue()
    {
        var implemented = ImplementedFunctions().ToDictionary(f => f.Name);
        var declared = DeclaredFunctions();
        Assert.NotEmpty(declared);
        foreach (var function in declared)
        {
            Assert.True(implemented.TryGetValue(function.Name, out var handler), $"{function.Name}/function.json has no handler endpoint");
            Assert.Equal(function.Trigger, handler!.Trigger);
            if (function.Trigger == "httpTrigger")
            {
                Assert.Equal("api/" + function.Route, handler.Route);
                Assert.Equal(function.Methods, handler.Methods);
            }
            else
            {
                // Non-HTTP functions are invoked by the host at POST /{FunctionName}.
                Assert.Equal(function.Name, handler.Route);
                Assert.Equal(["POST"], handler.Methods);
                Assert.Equal(function.Queue, handler.Queue);
            }
        }
    }

    [Fact]
    public void Every_handler_endpoint_has_a_function_json()
    {
        var declared = DeclaredFunctions().Select(f => f.Name).ToHashSet();
        var orphans = ImplementedFunctions().Where(f => !declared.Contains(f.Name)).Select(f => f.Name).ToList();
        Assert.Empty(orphans);
    }

    [Fact]
    public void Every_http_function_is_http_in_and_http_out_only_so_the_host_forwards_the_request()
    {
        foreach (var function in DeclaredFunctions().Where(f => f.Trigger == "httpTrigger"))
        {
            var bindings = function.Bindings["bindings"]!.AsArray();
            Assert.Equal(2, bindings.Count);
            Assert.Contains(bindings, b => b!["type"]!.GetValue<string>() == "http" && b["direction"]!.GetValue<string>() == "out");
        }
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
    }

    [Fact]
    public void The_build_output_is_a_complete_script_root()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.FunctionsScriptRoot, "host.json")));
        foreach (var function in DeclaredFunctions())
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.FunctionsScriptRoot, function.Name, "function.json")),
                $"{function.Name}/function.json is missing from the build output");
        }
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(RepoPaths.FunctionsScriptRoot, executable)), $"the handler executable {executable} is missing");
    }
}
