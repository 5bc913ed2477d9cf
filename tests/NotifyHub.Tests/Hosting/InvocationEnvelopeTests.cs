using System.Text.Json;
using NotifyHub.Hosting;

namespace NotifyHub.Tests.Hosting;

public class InvocationEnvelopeTests
{
    private static InvocationRequest Parse(string json) =>
        JsonSerializer.Deserialize<InvocationRequest>(json)!;

    [Fact]
    public void A_queue_message_that_the_host_json_encoded_twice_is_decoded_to_its_original_text()
    {
        // What the host sends for the message {"orderId":42} (research-platform.md §1.3).
        var request = Parse("""
            {"Data":{"myQueueItem":"\"{\\\"orderId\\\":42}\""},
             "Metadata":{"DequeueCount":3,"Id":"800ae4b3","orderId":42,"sys":{"MethodName":"F"}}}
            """);
        Assert.Equal("""{"orderId":42}""", request.QueueMessageText("myQueueItem"));
        Assert.Equal(3, request.DequeueCount);
    }

    [Fact]
    public void A_plain_text_message_encoded_twice_is_decoded_to_its_text()
    {
        var request = Parse("""{"Data":{"item":"\"hello\""},"Metadata":{}}""");
        Assert.Equal("hello", request.QueueMessageText("item"));
    }

    [Fact]
    public void A_message_encoded_only_once_is_read_as_it_is()
    {
        var request = Parse("""{"Data":{"item":"hello"},"Metadata":{}}""");
        Assert.Equal("hello", request.QueueMessageText("item"));
    }

    [Fact]
    public void A_message_sent_as_a_json_object_is_read_as_its_json_text()
    {
        var request = Parse("""{"Data":{"item":{"a":1}},"Metadata":{}}""");
        Assert.Equal("""{"a":1}""", request.QueueMessageText("item"));
    }

    [Fact]
    public void A_missing_binding_is_an_invalid_invocation()
    {
        var request = Parse("""{"Data":{},"Metadata":{}}""");
        Assert.Throws<InvalidInvocationException>(() => request.QueueMessageText("item"));
    }

    [Fact]
    public void The_success_answer_has_the_shape_the_host_reads()
    {
        var json = JsonSerializer.Serialize(InvocationResult.Success("done"));
        Assert.Equal("""{"Outputs":{},"Logs":["done"],"ReturnValue":null}""", json);
    }
}
