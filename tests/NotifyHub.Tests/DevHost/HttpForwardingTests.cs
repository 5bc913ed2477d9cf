using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NotifyHub.Tests.DevHost;

public class HttpForwardingTests
{
    private static ScriptRootBuilder Root() => new ScriptRootBuilder()
        .HttpFunction("IngestIncident", "incidents/{force}/{reference}", "post", "put")
        .HttpFunction("GetNotification", "notifications/{id:int}", "get");

    [Fact]
    public async Task A_matched_route_is_forwarded_with_method_path_query_headers_and_body_intact_and_the_answer_comes_back_unchanged()
    {
        using var root = Root();
        await using var handler = await FakeHandler.StartAsync(_ => new FakeResponse(
            201, "created: raw bytes ✓", "text/plain; charset=utf-8", new Dictionary<string, string> { ["X-Handler"] = "yes", ["Location"] = "/elsewhere" }));
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);

        var body = """{"reference":"ABC-1", "spacing" :  "kept"}""";
        using var request = new HttpRequestMessage(HttpMethod.Put, "api/incidents/met/ABC-1?x=1&y=two%20words")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Custom", "abc");
        request.Headers.Add("Authorization", "Bearer token-123");
        using var response = await client.SendAsync(request);

        var forwarded = Assert.Single(handler.Requests);
        Assert.Equal("PUT", forwarded.Method);
        Assert.Equal("/api/incidents/met/ABC-1", forwarded.Path);
        Assert.Equal("?x=1&y=two%20words", forwarded.Query);
        Assert.Equal("abc", forwarded.Headers["X-Custom"]);
        Assert.Equal("Bearer token-123", forwarded.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", forwarded.Headers["Content-Type"]);
        Assert.Equal(body, forwarded.Body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Handler").Single());
        Assert.Equal("/elsewhere", response.Headers.Location!.OriginalString); // redirects are not followed
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("created: raw bytes ✓", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unmatched_route_is_404_problem_json_and_is_not_forwarded()
    {
        using var root = Root();
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);

        foreach (var path in new[] { "api/nothing-here", "incidents/met/ABC-1", "api/notifications/not-a-number" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(404, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
        }
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_matched_route_with_a_method_not_in_methods_is_404()
    {
        using var root = Root();
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);

        using var wrongMethod = await client.GetAsync("api/incidents/met/ABC-1");
        using var rightMethod = await client.GetAsync("api/notifications/42");

        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightMethod.StatusCode);
        Assert.Equal("/api/notifications/42", Assert.Single(handler.Requests).Path);
    }

    [Fact]
    public async Task A_body_larger_than_kestrels_default_limit_is_forwarded_as_the_functions_host_would()
    {
        using var root = Root();
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);
        var body = new string('x', 40 * 1024 * 1024); // a GIAS extract is ~60 MB; Kestrel's default limit is 30 MB

        using var response = await client.PostAsync("api/incidents/met/BIG-1", new StringContent(body, Encoding.ASCII, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, Assert.Single(handler.Requests).Body.Length);
    }
}
