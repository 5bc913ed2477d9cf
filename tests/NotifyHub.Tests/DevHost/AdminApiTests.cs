using System.Net;
using System.Net.Http.Json;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class AdminApiTests
{
    [Fact]
    public async Task Posting_to_admin_functions_with_wait_runs_a_timer_now_and_reports_the_outcome()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Tick"]);

        var result = await hub.RunAsync("Tick");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Tick", result.Function);
        var run = Assert.Single(hub.Recorded("Tick"));
        Assert.False(run["isPastDue"]!.GetValue<bool>());
        // As the host's manual run, it carries the timer's schedule status as stored: none yet, or the one the listener stored at
        // start (the yearly schedule's next occurrence). Which depends on who came first; the run never claims an occurrence.
        var next = run["next"]?.GetValue<DateTimeOffset>();
        Assert.True(next is null || next == new DateTimeOffset(DateTime.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), $"next: {next:O}");
        Assert.NotEqual(Guid.Empty, result.InvocationId);
        Assert.Equal(result.InvocationId.ToString(), run["invocationId"]!.GetValue<string>()); // the id the admin API reports is the one the worker ran
    }

    [Fact]
    public async Task Posting_to_admin_functions_without_wait_answers_202_and_runs_the_function()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Tick"]);

        using var response = await hub.Http.PostAsync("admin/functions/Tick", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.UntilAsync(() => hub.Recorded("Tick").Count, n => n == 1, "the invocation");
    }

    [Fact]
    public async Task A_run_answered_202_that_fails_before_the_function_runs_is_logged_and_counted()
    {
        var logs = new CollectedLogs();
        var faults = new StorageFaults();
        var hostId = TestStorage.UniqueName("admin");
        await using var hub = await TestWorkerHost.StartAsync(["Tick"], hostId: hostId, loggers: logs.Factory, storageFaults: faults);
        // The timer's own start-up reads are over once its initial status is there: the next read of it is the admin run's.
        var status = new BlobContainerClient(hub.Connection, "azure-webjobs-hosts").GetBlobClient($"timers/{hostId}/Host.Functions.Tick/status");
        await Eventually.UntilAsync(async () => (bool)await status.ExistsAsync(), exists => exists, "the timer's initial status");
        faults.FailNext(m => m.Request.Method == RequestMethod.Get && m.Request.Uri.Path.EndsWith("/Host.Functions.Tick/status", StringComparison.Ordinal),
            () => new RequestFailedException(503, "The server is busy (a test's fault).", "ServerBusy", null));

        using var response = await hub.Http.PostAsync("admin/functions/Tick", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var failed = Assert.Single(await Eventually.UntilAsync(() => logs.Entries.Where(e => e.EventId == 203).ToList(), e => e.Count > 0, "the failed run to be logged"));
        Assert.Equal("Tick", failed.State["Function"]);
        Assert.Equal(503, Assert.IsType<RequestFailedException>(failed.Exception).Status);
        Assert.Equal(1, hub.Host.UnexpectedFailures);
        Assert.Equal(1, faults.Failed);
    }

    [Fact]
    public async Task Admin_invoke_of_a_queue_function_delivers_the_input_as_the_message_and_reports_its_failure()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);

        var result = await hub.RunAsync("Record", new { input = "fail" });

        Assert.False(result.Succeeded);
        Assert.Contains("failing as asked", result.Error, StringComparison.Ordinal);
        Assert.Equal("fail", Assert.Single(hub.Recorded("Record"))["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_function_or_an_HTTP_function_is_404_problem_json()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Tick", "Ping"]);

        foreach (var name in new[] { "Nope", "Ping" })
        {
            using var response = await hub.Http.PostAsync($"admin/functions/{name}?wait=true", JsonContent.Create(new { }));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Empty(hub.Recorded("Tick"));
    }

    [Fact]
    public async Task With_a_master_key_set_the_admin_API_requires_it()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Tick"], masterKey: "s3cret");

        using var withoutKey = await hub.Http.PostAsync("admin/functions/Tick?wait=true", JsonContent.Create(new { }));
        var withKey = await hub.RunAsync("Tick", key: "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.True(withKey.Succeeded);
        Assert.Single(hub.Recorded("Tick"));
    }
}
