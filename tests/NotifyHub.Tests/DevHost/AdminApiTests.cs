using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class AdminApiTests
{
    [Fact]
    public async Task Posting_to_admin_functions_with_wait_runs_a_timer_now_and_reports_the_outcome()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Digest", "0 0 0 1 1 *");
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);

        var result = await TestDevHost.RunAsync(host, "Digest");

        Assert.Equal(new AdminResult("Digest", true, 200, result.DurationMs), result);
        var timer = Assert.Single(handler.InvocationsOf("Digest"))["Data"]!["timer"]!;
        Assert.False(timer["IsPastDue"]!.GetValue<bool>());
        Assert.Null(timer["ScheduleStatus"]);
    }

    [Fact]
    public async Task Posting_to_admin_functions_without_wait_answers_202_and_runs_the_function()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Digest", "0 0 0 1 1 *");
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);

        using var response = await client.PostAsync("admin/functions/Digest", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.UntilAsync(() => handler.InvocationsOf("Digest").Count, n => n == 1, "the invocation");
    }

    [Fact]
    public async Task Admin_invoke_of_a_queue_function_delivers_the_input_as_the_message_and_reports_a_failure()
    {
        using var root = new ScriptRootBuilder().QueueFunction("Route", TestStorage.UniqueName("adm"));
        await using var handler = await FakeHandler.StartAsync(_ => new FakeResponse(503, "busy"));
        await using var host = await TestDevHost.StartAsync(root, handler);

        var result = await TestDevHost.RunAsync(host, "Route", new { input = """{"a":1}""" });

        Assert.False(result.Succeeded);
        Assert.Equal(503, result.StatusCode);
        var data = Assert.Single(handler.InvocationsOf("Route"))["Data"]!["message"]!.GetValue<string>();
        Assert.Equal("""{"a":1}""", JsonNode.Parse(data)!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_function_is_404_problem_json()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Digest", "0 0 0 1 1 *");
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        using var client = TestDevHost.Client(host);

        using var response = await client.PostAsync("admin/functions/Nope?wait=true", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task With_a_master_key_set_the_admin_API_requires_it()
    {
        using var root = new ScriptRootBuilder().TimerFunction("Digest", "0 0 0 1 1 *");
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler, masterKey: "s3cret");
        using var client = TestDevHost.Client(host);

        using var withoutKey = await client.PostAsync("admin/functions/Digest?wait=true", JsonContent.Create(new { }));
        var withKey = await TestDevHost.RunAsync(host, "Digest", key: "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.True(withKey.Succeeded);
        Assert.Single(handler.InvocationsOf("Digest"));
    }
}
