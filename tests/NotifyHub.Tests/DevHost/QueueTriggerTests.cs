using System.Diagnostics;
using System.Text;
using Azure.Core;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

/// <summary>Queue triggers with the host's semantics, against a real isolated worker (the test worker's Record function).</summary>
public class QueueTriggerTests
{
    private static async Task<Azure.Storage.Queues.Models.PeekedMessage[]> PoisonedAsync(TestWorkerHost hub, string queue) =>
        await Eventually.UntilAsync(async () =>
        {
            var poison = hub.Queue(queue + "-poison", QueueMessageEncoding.None);
            return await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(10)).Value : [];
        }, messages => messages.Length > 0, "the message to reach the poison queue");

    private static Task<int> EmptiedAsync(QueueClient queue) =>
        Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, count => count == 0, $"{queue.Name} to be empty");

    [Fact]
    public async Task A_message_whose_function_throws_is_retried_and_lands_in_poison_after_exactly_maxDequeueCount_attempts_with_its_body_intact()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        var body = "fail";
        var sent = await hub.Queue(hub.RecordQueueName).SendMessageAsync(body);

        var poisoned = await PoisonedAsync(hub, hub.RecordQueueName);

        // The raw text in the poison queue is exactly what was sent (still base64).
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(body)), Assert.Single(poisoned).Body.ToString());
        await EmptiedAsync(hub.Queue(hub.RecordQueueName));
        var attempts = hub.Recorded("Record");
        Assert.Equal([1L, 2L, 3L], attempts.Select(a => a["dequeueCount"]!.GetValue<long>())); // test worker host.json: maxDequeueCount 3
        Assert.All(attempts, a => Assert.Equal(sent.Value.MessageId, a["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_function_receives_the_message_text_and_the_real_trigger_metadata_and_a_success_deletes_the_message()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        var queue = hub.Queue(hub.RecordQueueName);
        var text = "ünïcode & <tags> ✓";
        var sent = (await queue.SendMessageAsync(text)).Value;

        var recorded = (await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count > 0, "the invocation"))[0];
        await EmptiedAsync(queue);

        Assert.Equal(text, recorded["text"]!.GetValue<string>());
        Assert.Equal(text, recorded["queueTrigger"]!.GetValue<string>());
        Assert.Equal(1, recorded["dequeueCount"]!.GetValue<long>());
        Assert.Equal("1", recorded["metadataDequeueCount"]!.GetValue<string>());
        Assert.Equal(sent.MessageId, recorded["id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(recorded["popReceipt"]!.GetValue<string>()));
        var inserted = DateTimeOffset.Parse(recorded["insertionTime"]!.GetValue<string>().Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sent.InsertionTime, inserted);
        foreach (var key in new[] { "expirationTime", "nextVisibleTime" }) Assert.False(string.IsNullOrEmpty(recorded[key]?.GetValue<string>()), key);
        // The queue was found empty, invisible messages included: the message no longer exists, so the invocation
        // recorded is the only one there will ever be.
        Assert.Single(hub.Recorded("Record"));
    }

    [Fact]
    public async Task A_failing_message_is_released_and_retried_until_it_succeeds_and_the_function_sees_each_dequeue_count()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        var queue = hub.Queue(hub.RecordQueueName);
        await queue.SendMessageAsync("fail-until:3");

        await Eventually.UntilAsync(() => hub.Recorded("Record").Count, n => n >= 3, "three attempts");
        await EmptiedAsync(queue);

        Assert.Equal([1L, 2L, 3L], hub.Recorded("Record").Select(a => a["dequeueCount"]!.GetValue<long>()));
        Assert.False(await hub.Queue(hub.RecordQueueName + "-poison").ExistsAsync());
    }

    [Theory]
    [InlineData("base64", QueueMessageEncoding.Base64)]
    [InlineData("none", QueueMessageEncoding.None)]
    public async Task The_message_text_arrives_as_sent_when_the_sender_uses_the_messageEncoding_of_host_json(string hostEncoding, QueueMessageEncoding senderEncoding)
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"], host => host["extensions"]!["queues"]!["messageEncoding"] = hostEncoding);
        await hub.Queue(hub.RecordQueueName, senderEncoding).SendMessageAsync("plain text ✓");

        var recorded = (await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count > 0, "the invocation"))[0];
        Assert.Equal("plain text ✓", recorded["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plain_text_message_on_a_base64_queue_can_never_be_decoded_and_goes_to_poison_without_an_invocation()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        await hub.Queue(hub.RecordQueueName, QueueMessageEncoding.None).SendMessageAsync("{not base64}");

        Assert.Equal("{not base64}", Assert.Single(await PoisonedAsync(hub, hub.RecordQueueName)).Body.ToString());
        Assert.Empty(hub.Recorded("Record"));
    }

    [Fact]
    public async Task A_message_that_arrives_already_past_maxDequeueCount_goes_to_poison_without_an_invocation()
    {
        var queueName = TestStorage.UniqueName("tired");
        var queue = new QueueClient(await TestStorage.ConnectionStringAsync(), queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateAsync();
        await queue.SendMessageAsync("tired");
        // Each receive counts as a dequeue; releasing with visibility 0 puts it straight back.
        for (var i = 0; i < 3; i++)
        {
            var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await using var hub = await TestWorkerHost.StartAsync(["Record"], settings: new Dictionary<string, string?> { ["RecordQueue"] = queueName });

        await PoisonedAsync(hub, queueName);
        Assert.Empty(hub.Recorded("Record"));
    }

    [Fact]
    public async Task The_queues_the_workers_functions_name_are_created_at_start()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record", "RecordSdk"]);

        Assert.True(await hub.Queue(hub.RecordQueueName).ExistsAsync());
        Assert.True(await hub.Queue(hub.SdkQueueName).ExistsAsync());
    }

    [Fact]
    public async Task A_QueueMessage_parameter_is_bound_by_the_worker_from_model_binding_data()
    {
        await using var hub = await TestWorkerHost.StartAsync(["RecordSdk"]);
        var sent = (await hub.Queue(hub.SdkQueueName).SendMessageAsync("typed ✓")).Value;

        var recorded = (await Eventually.UntilAsync(() => hub.Recorded("RecordSdk"), r => r.Count > 0, "the invocation"))[0];

        Assert.Equal(sent.MessageId, recorded["messageId"]!.GetValue<string>());
        Assert.Equal("typed ✓", recorded["text"]!.GetValue<string>());
        Assert.Equal(1, recorded["dequeueCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_top_level_properties_of_a_JSON_message_join_the_binding_data_and_win_over_built_in_keys_as_in_the_host()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        await hub.Queue(hub.RecordQueueName).SendMessageAsync("""{"Id":"from-body","list":[1,2]}""");

        var recorded = (await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count > 0, "the invocation"))[0];
        Assert.Equal("from-body", recorded["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Killing_the_worker_mid_invocation_loses_no_message_it_is_retried_on_the_restarted_worker()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"]);
        var release = Path.Combine(hub.RecordFolder, "release-" + Guid.NewGuid().ToString("N"));
        var queue = hub.Queue(hub.RecordQueueName);
        await queue.SendMessageAsync("block:" + release);

        var first = (await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count == 1, "the first attempt to start"))[0];
        Process.GetProcessById(first["processId"]!.GetValue<int>()).Kill();
        await File.WriteAllTextAsync(release, "go");

        var attempts = await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count >= 2, "the retry on the restarted worker");
        await EmptiedAsync(queue);
        Assert.Equal(2, attempts[1]["dequeueCount"]!.GetValue<long>());
        Assert.NotEqual(first["processId"]!.GetValue<int>(), attempts[1]["processId"]!.GetValue<int>());
        Assert.False(await hub.Queue(hub.RecordQueueName + "-poison").ExistsAsync());
        Assert.Equal(1, hub.Host.WorkerRestarts);
    }

    [Fact]
    public async Task A_message_whose_processing_fails_unexpectedly_is_logged_and_counted_and_stays_leased_while_the_listener_runs_on()
    {
        var logs = new CollectedLogs();
        var faults = new StorageFaults();
        await using var hub = await TestWorkerHost.StartAsync(["Record"], loggers: logs.Factory, storageFaults: faults);
        var queue = hub.Queue(hub.RecordQueueName);
        // The function succeeds, then deleting its message fails with an OperationCanceledException that is not the
        // DevHost's stop, as a timed-out storage request can: none of the failures the listener handles in place.
        faults.FailNext(StorageFaults.MessageRequest(RequestMethod.Delete, hub.RecordQueueName),
            () => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (a test's fault)."));
        var first = (await queue.SendMessageAsync("first")).Value;

        var failed = Assert.Single(await Eventually.UntilAsync(() => logs.Entries.Where(e => e.EventId == 305).ToList(), e => e.Count > 0, "the failure to be logged"));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal(first.MessageId, failed.State["MessageId"]);
        Assert.Equal("Record", failed.State["Function"]);
        Assert.IsType<TaskCanceledException>(failed.Exception);
        Assert.Equal(1, hub.Host.UnexpectedFailures);

        // The listener runs on: a later message is processed and deleted...
        await queue.SendMessageAsync("second");
        await Eventually.UntilAsync(() => hub.Recorded("Record").Count, n => n == 2, "the second message to run");
        // ...while the first is not lost: still on the queue (the count includes invisible messages), invisible under its lease.
        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 1, "the second message to be deleted");
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Equal(["first", "second"], hub.Recorded("Record").Select(r => r["text"]!.GetValue<string>()));
        Assert.Equal(1, faults.Failed);
    }

    [Fact]
    public async Task A_receive_that_times_out_is_logged_and_the_listener_keeps_polling()
    {
        var logs = new CollectedLogs();
        var faults = new StorageFaults();
        await using var hub = await TestWorkerHost.StartAsync(["Record"], loggers: logs.Factory, storageFaults: faults);
        faults.FailNext(StorageFaults.Receive(hub.RecordQueueName),
            () => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (a test's fault)."));
        await Eventually.UntilAsync(() => faults.Failed, n => n == 1, "a receive to fail");

        await hub.Queue(hub.RecordQueueName).SendMessageAsync("after the failed receive");

        await Eventually.UntilAsync(() => hub.Recorded("Record").Count, n => n == 1, "the message sent after the failed receive to run");
        Assert.Contains(logs.Entries, e => e.EventId == 304 && e.Exception is TaskCanceledException);
    }

    /// <summary>A host taking one message per batch with the given newBatchThreshold, and a message already running that waits for its release file.</summary>
    private static async Task<(TestWorkerHost Hub, string Release, QueueClient Queue)> OneBlockedAsync(int newBatchThreshold)
    {
        var hub = await TestWorkerHost.StartAsync(["Record"], host =>
        {
            host["extensions"]!["queues"]!["batchSize"] = 1;
            host["extensions"]!["queues"]!["newBatchThreshold"] = newBatchThreshold;
        });
        var release = Path.Combine(hub.RecordFolder, "release-" + Guid.NewGuid().ToString("N"));
        var queue = hub.Queue(hub.RecordQueueName);
        await queue.SendMessageAsync("block:" + release);
        await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count == 1, "the blocking message to start");
        return (hub, release, queue);
    }

    [Fact]
    public async Task A_message_still_running_does_not_hold_up_the_next_batch_once_no_more_than_newBatchThreshold_run()
    {
        // A new batch while at most one is still running: the blocked message runs on while the next two are fetched and
        // processed one after the other.
        var (hub, release, queue) = await OneBlockedAsync(newBatchThreshold: 1);
        await using var _ = hub;
        await queue.SendMessageAsync("after-1");
        await queue.SendMessageAsync("after-2");

        var recorded = await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count == 3, "both later messages to run while the first is blocked");
        Assert.False(File.Exists(release));
        Assert.Equal(["after-1", "after-2"], recorded.Skip(1).Select(r => r["text"]!.GetValue<string>()).Order());
        await File.WriteAllTextAsync(release, "go");
        await EmptiedAsync(queue);
    }

    [Fact]
    public async Task With_newBatchThreshold_zero_the_next_batch_waits_for_every_message_of_the_last()
    {
        // Both messages wait in the queue before the host starts; Azurite hands them out in order, one per batch here,
        // so the blocked one is received first and the later one is there to be fetched at once by a listener that
        // broke the rule.
        var queueName = TestStorage.UniqueName("batch");
        var release = Path.Combine(Path.GetTempPath(), "devhost-release-" + Guid.NewGuid().ToString("N"));
        var queue = new QueueClient(await TestStorage.ConnectionStringAsync(), queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateAsync();
        await queue.SendMessageAsync("block:" + release);
        await queue.SendMessageAsync("after");
        var logs = new CollectedLogs();
        try
        {
            await using var hub = await TestWorkerHost.StartAsync(["Record"], host =>
            {
                host["extensions"]!["queues"]!["batchSize"] = 1;
                host["extensions"]!["queues"]!["newBatchThreshold"] = 0;
            }, settings: new Dictionary<string, string?> { ["RecordQueue"] = queueName }, loggers: logs.Factory);
            await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count > 0, "the blocking message to start");

            // The listener says when, instead of fetching, it waits for the batch it holds; from then on it can receive
            // nothing until the blocked message ends, and only the test's release ends it. The later message is still
            // there, never received.
            var waiting = Assert.Single(await Eventually.UntilAsync(() => logs.Entries.Where(e => e.EventId == 306).ToList(), e => e.Count > 0, "the listener to wait for its batch"));
            Assert.Equal(1, waiting.State["Running"]);
            Assert.Equal(0, waiting.State["NewBatchThreshold"]);
            Assert.Equal(0, Assert.Single((await queue.PeekMessagesAsync(10)).Value).DequeueCount);
            await File.WriteAllTextAsync(release, "go");

            var recorded = await Eventually.UntilAsync(() => hub.Recorded("Record"), r => r.Count == 2, "the later message once the first finished");
            await EmptiedAsync(queue);
            Assert.Equal("after", recorded[1]["text"]!.GetValue<string>());
            Assert.Equal(1, recorded[1]["dequeueCount"]!.GetValue<long>());
            // Its invocation began only after the blocked one had ended.
            var entries = logs.Entries.ToList();
            var blockedEnded = entries.FindIndex(e => e.EventId == 201 && InvocationOf(e) == recorded[0]["invocationId"]!.GetValue<string>());
            var laterStarted = entries.FindIndex(e => e.EventId == 200 && InvocationOf(e) == recorded[1]["invocationId"]!.GetValue<string>());
            Assert.True(blockedEnded >= 0 && laterStarted > blockedEnded, $"the blocked message ended at log entry {blockedEnded}, the later one started at {laterStarted}");
        }
        finally
        {
            File.Delete(release);
        }
    }

    private static string? InvocationOf(LogEntry entry) => entry.State.GetValueOrDefault("InvocationId")?.ToString();

    [Fact]
    public async Task A_function_that_runs_past_functionTimeout_is_cancelled_and_its_message_retried_then_poisoned()
    {
        // The test worker's host.json sets functionTimeout to 3 s; "sleep" waits until it is cancelled.
        var logs = new CollectedLogs();
        await using var hub = await TestWorkerHost.StartAsync(["Record"], host => host["extensions"]!["queues"]!["maxDequeueCount"] = 2, loggers: logs.Factory);
        await hub.Queue(hub.RecordQueueName).SendMessageAsync("sleep");

        await PoisonedAsync(hub, hub.RecordQueueName);

        var attempts = hub.Recorded("Record");
        Assert.Equal([1L, 2L], attempts.Select(a => a["dequeueCount"]!.GetValue<long>()));
        foreach (var attempt in attempts)
        {
            var id = attempt["invocationId"]!.GetValue<string>();
            Assert.Contains(logs.Entries, e => e.EventId == 202 && e.Message.Contains(id, StringComparison.Ordinal)
                && e.Message.Contains("Timeout value of 00:00:03 exceeded by function 'Record'", StringComparison.Ordinal));
        }
        Assert.Equal(0, hub.Host.WorkerRestarts); // it honoured the cancellation: no need to recycle the worker
    }

    [Fact]
    public async Task A_function_that_ignores_its_cancellation_after_functionTimeout_gets_its_worker_recycled()
    {
        await using var hub = await TestWorkerHost.StartAsync(["Record"], host => host["extensions"]!["queues"]!["maxDequeueCount"] = 1);
        await hub.Queue(hub.RecordQueueName).SendMessageAsync("stubborn");

        await PoisonedAsync(hub, hub.RecordQueueName);
        await Eventually.UntilAsync(() => hub.Host.WorkerRestarts, n => n == 1, "the worker to be recycled");
        await hub.Host.WaitForWorkerAsync();
    }
}
