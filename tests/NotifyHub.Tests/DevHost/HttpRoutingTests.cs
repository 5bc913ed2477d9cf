using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>HTTP through the DevHost: chosen as the worker's router chooses, proxied to the worker's own server.</summary>
public partial class HttpRoutingTests
{
    private static readonly string[] HttpFunctions = ["Echo", "Ping", "Items", "AnyMethod", "Moved", "Upload"];

    private sealed record Declared(string Name, string Route, string[] Methods);

    /// <summary>The test worker's HTTP functions as its build's functions.metadata declares them.</summary>
    private static IReadOnlyList<Declared> DeclaredHttpFunctions() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.TestWorkerRoot, "functions.metadata")))!.AsArray()
            .Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")))
            .Where(f => f.Trigger is not null)
            .Select(f => new Declared(f.Name, f.Trigger!["route"]?.GetValue<string>() ?? f.Name,
                f.Trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray() ?? []))
            .ToList();

    /// <summary>A concrete path for a route template: 7 for an int parameter, "x" for others, "a/b" for a catch-all.</summary>
    private static string Sample(string template) =>
        RouteParameter().Replace(template, m => m.Groups["star"].Success ? "a/b" : m.Groups["constraint"].Value.Contains("int", StringComparison.Ordinal) ? "7" : "x");

    [GeneratedRegex(@"\{(?<star>\*)?(?<name>[A-Za-z]+)(?<constraint>:[^}]+)?\??\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_HTTP_function_the_worker_declares_is_reached_on_its_route_with_each_of_its_methods_and_refused_405_with_any_other()
    {
        await using var hub = await TestWorkerHost.StartAsync(HttpFunctions);
        var declared = DeclaredHttpFunctions();
        Assert.Equal(HttpFunctions.Order(), declared.Select(d => d.Name).Order());

        foreach (var function in declared)
        {
            var path = "api/" + Sample(function.Route);
            var methods = function.Methods.Length > 0 ? function.Methods : ["GET", "POST", "PUT", "PATCH", "DELETE"];
            foreach (var method in methods)
            {
                using var response = await hub.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("") });
                Assert.True((int)response.StatusCode is >= 200 and < 400, $"{method} /{path} ({function.Name}) answered {(int)response.StatusCode}");
            }
            if (function.Methods.Length == 0) continue;
            var other = new[] { "GET", "POST", "PUT", "DELETE" }.First(m => !function.Methods.Contains(m));
            using var refused = await hub.Http.SendAsync(new HttpRequestMessage(new HttpMethod(other), path));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Equal(function.Methods.Order(), refused.Content.Headers.Allow.Select(m => m.ToUpperInvariant()).Order());
        }
    }

    [Fact]
    public async Task A_request_is_proxied_with_method_path_query_headers_and_body_intact_and_its_route_values_are_bound_as_parameters()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Echo"]);
        var body = """{"reference":"ABC-1", "spacing" :  "kept"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/echo/incident/42?x=1&y=two%20words")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom", "abc");
        request.Headers.Add("x-ms-invocation-id", "spoofed-by-the-client");
        using var response = await hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("echo", response.Headers.GetValues("X-Worker").Single());
        var echo = (await response.Content.ReadFromJsonAsync<JsonElement>())!;
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("/api/echo/incident/42", echo.GetProperty("path").GetString());
        Assert.Equal("?x=1&y=two%20words", echo.GetProperty("query").GetString());
        Assert.Equal("abc", echo.GetProperty("custom").GetString());
        Assert.Equal("application/json; charset=utf-8", echo.GetProperty("contentType").GetString());
        Assert.Equal(body, echo.GetProperty("body").GetString());
        Assert.Equal("incident", echo.GetProperty("boundKind").GetString());
        Assert.Equal(42, echo.GetProperty("boundId").GetInt32());
        Assert.Equal("incident", echo.GetProperty("routeKind").GetString());
        // The proxied request carries the host's invocation id, not the client's, and the worker paired it with the invocation.
        Assert.Equal(echo.GetProperty("invocationId").GetString(), echo.GetProperty("invocationHeader").GetString());
        Assert.NotEqual("spoofed-by-the-client", echo.GetProperty("invocationHeader").GetString());
        // X-Forwarded-Host and -Proto: the worker sees the front door's host, not its own.
        Assert.Equal(hub.Host.BaseAddress.Authority, echo.GetProperty("host").GetString());
        Assert.Equal("http", echo.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task A_path_no_function_routes_is_404_problem_json()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Echo", "Ping"]);

        foreach (var path in new[] { "api/nothing-here", "echo/incident/42", "api/echo/incident/not-a-number", "api/ping/extra", "" })
        {
            using var response = await hub.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(404, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_function_without_a_route_is_reached_at_its_name_and_one_without_methods_takes_any_method()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Ping", "AnyMethod"]);

        using var ping = await hub.Http.DeleteAsync("api/Ping");
        using var patch = await hub.Http.PatchAsync("api/any", new StringContent(""));

        Assert.Equal("pong", await ping.Content.ReadAsStringAsync());
        Assert.Equal("PATCH", (await patch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_redirect_from_the_function_comes_back_to_the_client_unfollowed()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Moved"]);

        using var response = await hub.Http.GetAsync("api/moved");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/elsewhere", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Requests_the_host_refuses_before_any_function_are_answered_with_problem_json()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Echo", "Upload"]);

        using var longTarget = await hub.Http.GetAsync("api/echo/x/1?q=" + new string('a', 9000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longTarget.StatusCode);
        Assert.Equal("application/problem+json", longTarget.Content.Headers.ContentType?.MediaType);

        using var manyHeaders = new HttpRequestMessage(HttpMethod.Get, "api/echo/x/1");
        for (var i = 0; i < 150; i++) manyHeaders.Headers.Add("X-Extra-" + i, "v");
        using var tooManyHeaders = await hub.Http.SendAsync(manyHeaders);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooManyHeaders.StatusCode);
        Assert.Equal("application/problem+json", tooManyHeaders.Content.Headers.ContentType?.MediaType);

        // A body declared larger than 100 MB is refused before a byte of it is read.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(hub.Host.BaseAddress.Host, hub.Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /api/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 209715200\r\n\r\n"));
        var answer = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_larger_than_kestrels_default_limit_reaches_the_worker_as_it_would_through_the_functions_host()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Upload"]);
        var body = new byte[40 * 1024 * 1024]; // a GIAS extract is ~60 MB; Kestrel's default limit is 30 MB

        using var response = await hub.Http.PostAsync("api/upload", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("length").GetInt64());
    }
}
