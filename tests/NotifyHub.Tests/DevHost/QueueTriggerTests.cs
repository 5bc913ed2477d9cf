using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.DevHost;

public class QueueTriggerTests
{
    [Fact]
    public async Task A_message_whose_function_keeps_failing_ends_in_the_poison_queue_after_exactly_maxDequeueCount_attempts()
    {
        var queueName = TestStorage.UniqueName("fail");
        using var root = new ScriptRootBuilder(maxDequeueCount: 3).QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync(_ => FakeResponse.Fail);
        await using var host = await TestDevHost.StartAsync(root, handler);
        var sent = await (await TestDevHost.QueueAsync(queueName)).SendMessageAsync("""{"incident":"INC-1","note":"ünïcode & <tags>"}""");

        var poison = await TestDevHost.QueueAsync(queueName + "-poison", QueueMessageEncoding.None);
        var poisoned = await Eventually.UntilAsync(
            async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(10)).Value : [],
            messages => messages.Length > 0, "the message to reach the poison queue");

        // The raw text in the poison queue is exactly what was sent (still base64).
        var raw = Assert.Single(poisoned).Body.ToString();
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"incident":"INC-1","note":"ünïcode & <tags>"}""")), raw);
        var invocations = handler.InvocationsOf("Route");
        Assert.Equal([1L, 2L, 3L], invocations.Select(i => i["Metadata"]!["DequeueCount"]!.GetValue<long>()));
        Assert.All(invocations, i => Assert.Equal(sent.Value.MessageId, i["Metadata"]!["Id"]!.GetValue<string>()));
        var queue = await TestDevHost.QueueAsync(queueName);
        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            count => count == 0, "the original to be deleted");
        Assert.Equal(3, handler.InvocationsOf("Route").Count);
    }

    [Fact]
    public async Task A_succeeding_message_is_delivered_once_and_deleted()
    {
        var queueName = TestStorage.UniqueName("ok");
        using var root = new ScriptRootBuilder().QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        var queue = await TestDevHost.QueueAsync(queueName);
        await queue.SendMessageAsync("hello");

        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            count => count == 0, "the queue to be empty");
        await Eventually.UntilAsync(() => handler.InvocationsOf("Route").Count, n => n >= 1, "the invocation");
        Assert.Single(handler.InvocationsOf("Route"));
    }

    [Fact]
    public async Task The_handler_receives_the_message_text_JSON_encoded_twice_and_its_properties_merged_into_Metadata()
    {
        var queueName = TestStorage.UniqueName("env");
        using var root = new ScriptRootBuilder().QueueFunction("Route", queueName, binding: "incoming");
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        var sent = await (await TestDevHost.QueueAsync(queueName)).SendMessageAsync("""{"a":1,"list":[1,2],"Id":"from-body"}""");

        var request = (await Eventually.UntilAsync(() => handler.Requests.Where(r => r.Path == "/Route").ToList(),
            r => r.Count > 0, "the invocation"))[0];

        Assert.Contains("""
            "Data":{"incoming":"\"{\\\"a\\\":1,\\\"list\\\":[1,2],\\\"Id\\\":\\\"from-body\\\"}\""}
            """.Trim(), request.Body, StringComparison.Ordinal);
        var data = request.Json["Data"]!["incoming"]!.GetValue<string>();
        Assert.Equal("""{"a":1,"list":[1,2],"Id":"from-body"}""", JsonNode.Parse(data)!.GetValue<string>());

        var metadata = request.Json["Metadata"]!.AsObject();
        Assert.Equal(1, metadata["DequeueCount"]!.GetValue<long>());
        Assert.Equal(1, metadata["a"]!.GetValue<int>());
        Assert.False(metadata.ContainsKey("list"));          // arrays are not merged
        Assert.Equal("from-body", metadata["Id"]!.GetValue<string>()); // and a message property overwrites a built-in key
        Assert.NotEqual(sent.Value.MessageId, metadata["Id"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("QueueTrigger"));
        foreach (var key in new[] { "ExpirationTime", "InsertionTime", "NextVisibleTime", "PopReceipt" }) Assert.True(metadata.ContainsKey(key), key);
        Assert.Equal("Route", metadata["sys"]!["MethodName"]!.GetValue<string>());
        Assert.True(metadata["sys"]!.AsObject().ContainsKey("UtcNow"));
        Assert.True(metadata["sys"]!.AsObject().ContainsKey("RandGuid"));

        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("Azure-Functions-Host/devhost", request.Headers["User-Agent"]);
        Assert.True(Guid.TryParse(request.Headers["X-Azure-Functions-InvocationId"], out _));
    }

    [Theory]
    [InlineData("base64", QueueMessageEncoding.Base64)]
    [InlineData("none", QueueMessageEncoding.None)]
    public async Task The_message_text_arrives_as_sent_when_the_sender_uses_the_messageEncoding_of_host_json(string hostEncoding, QueueMessageEncoding senderEncoding)
    {
        var queueName = TestStorage.UniqueName("enc");
        using var root = new ScriptRootBuilder(messageEncoding: hostEncoding).QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        await (await TestDevHost.QueueAsync(queueName, senderEncoding)).SendMessageAsync("plain text ✓");

        var invocation = (await Eventually.UntilAsync(() => handler.InvocationsOf("Route"), i => i.Count > 0, "the invocation"))[0];
        var encoded = invocation["Data"]!["message"]!.GetValue<string>();
        Assert.Equal("plain text ✓", JsonNode.Parse(encoded)!.GetValue<string>());
    }

    [Fact]
    public async Task A_plain_text_message_on_a_base64_queue_can_never_be_decoded_and_goes_to_poison_without_invocation()
    {
        var queueName = TestStorage.UniqueName("b64");
        using var root = new ScriptRootBuilder(messageEncoding: "base64").QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);
        await (await TestDevHost.QueueAsync(queueName, QueueMessageEncoding.None)).SendMessageAsync("{not base64}");

        var poison = await TestDevHost.QueueAsync(queueName + "-poison", QueueMessageEncoding.None);
        var poisoned = await Eventually.UntilAsync(
            async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(10)).Value : [],
            messages => messages.Length > 0, "the message to reach the poison queue");
        Assert.Equal("{not base64}", Assert.Single(poisoned).Body.ToString());
        Assert.Empty(handler.InvocationsOf("Route"));
    }

    [Fact]
    public async Task A_failing_message_is_released_and_retried_until_it_succeeds()
    {
        var queueName = TestStorage.UniqueName("retry");
        using var root = new ScriptRootBuilder(maxDequeueCount: 5).QueueFunction("Route", queueName);
        var attempts = 0;
        await using var handler = await FakeHandler.StartAsync(_ => Interlocked.Increment(ref attempts) <= 2 ? FakeResponse.Fail : FakeResponse.Ok);
        await using var host = await TestDevHost.StartAsync(root, handler);
        var queue = await TestDevHost.QueueAsync(queueName);
        await queue.SendMessageAsync("retry me");

        await Eventually.UntilAsync(() => handler.InvocationsOf("Route").Count, n => n >= 3, "three attempts");
        await Eventually.UntilAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            count => count == 0, "the message to be deleted after its successful attempt");
        Assert.Equal([1L, 2L, 3L], handler.InvocationsOf("Route").Select(i => i["Metadata"]!["DequeueCount"]!.GetValue<long>()));
        Assert.False(await (await TestDevHost.QueueAsync(queueName + "-poison")).ExistsAsync());
    }

    [Fact]
    public async Task A_message_that_arrives_already_past_maxDequeueCount_goes_to_poison_without_invocation()
    {
        var queueName = TestStorage.UniqueName("over");
        var queue = await TestDevHost.QueueAsync(queueName);
        await queue.CreateAsync();
        await queue.SendMessageAsync("tired");
        // Each receive counts as a dequeue; releasing with visibility 0 puts it straight back.
        for (var i = 0; i < 2; i++)
        {
            var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        using var root = new ScriptRootBuilder(maxDequeueCount: 2).QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);

        var poison = await TestDevHost.QueueAsync(queueName + "-poison");
        await Eventually.UntilAsync(
            async () => await poison.ExistsAsync() ? (await poison.PeekMessagesAsync(10)).Value : [],
            messages => messages.Length > 0, "the message to reach the poison queue");
        Assert.Empty(handler.InvocationsOf("Route"));
    }

    [Fact]
    public async Task Queues_named_in_function_json_are_created_at_start()
    {
        var queueName = TestStorage.UniqueName("new");
        using var root = new ScriptRootBuilder().QueueFunction("Route", queueName);
        await using var handler = await FakeHandler.StartAsync();
        await using var host = await TestDevHost.StartAsync(root, handler);

        Assert.True(await (await TestDevHost.QueueAsync(queueName)).ExistsAsync());
    }
}
