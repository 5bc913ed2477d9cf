using NotifyHub.DevHost.Handler;

namespace NotifyHub.Tests.DevHost;

public class InvocationEnvelopeTests
{
    private static readonly DateTimeOffset At = new(2019, 10, 9, 17, 58, 31, TimeSpan.Zero);
    private static readonly InvocationSys Sys = new("Route", At.AddSeconds(1), Guid.Parse("24ad4c06-0000-0000-0000-000000000001"));

    private static QueueMessageInfo Message(long dequeueCount = 1) =>
        new("800ae4b3-bdd2-4c08-badd-f08e5a34b865", dequeueCount, At, At.AddDays(7), At.AddMinutes(10), "AgAAAAMAAAAAAAAAAgtnj8x+1QE=");

    [Fact]
    public void A_JSON_queue_message_is_a_string_holding_the_JSON_encoded_text_and_its_properties_are_merged_into_Metadata()
    {
        var json = InvocationEnvelope.Serialize(InvocationEnvelope.ForQueue("message", """{"a":1}""", Message(), Sys));

        Assert.Equal(
            """{"Data":{"message":"\"{\\\"a\\\":1}\""},"Metadata":{"DequeueCount":1,"ExpirationTime":"2019-10-16T17:58:31+00:00","Id":"800ae4b3-bdd2-4c08-badd-f08e5a34b865","InsertionTime":"2019-10-09T17:58:31+00:00","NextVisibleTime":"2019-10-09T18:08:31+00:00","PopReceipt":"AgAAAAMAAAAAAAAAAgtnj8x+1QE=","a":1,"sys":{"MethodName":"Route","UtcNow":"2019-10-09T17:58:32Z","RandGuid":"24ad4c06-0000-0000-0000-000000000001"}}}""",
            json);
    }

    [Fact]
    public void A_plain_text_message_is_quoted_once_more()
    {
        var json = InvocationEnvelope.Serialize(InvocationEnvelope.ForQueue("message", "hello <b>", Message(), Sys));
        Assert.StartsWith("""{"Data":{"message":"\"hello <b>\""},""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timer_invocation_carries_TimerInfo_as_an_object_and_only_sys_in_Metadata()
    {
        var status = new ScheduleStatus(At, At.AddDays(1), At.AddSeconds(2));
        var json = InvocationEnvelope.Serialize(InvocationEnvelope.ForTimer("timer", status, isPastDue: true, Sys with { MethodName = "Digest" }));

        Assert.Equal(
            """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2019-10-09T17:58:31+00:00","Next":"2019-10-10T17:58:31+00:00","LastUpdated":"2019-10-09T17:58:33+00:00"},"IsPastDue":true}},"Metadata":{"sys":{"MethodName":"Digest","UtcNow":"2019-10-09T17:58:32Z","RandGuid":"24ad4c06-0000-0000-0000-000000000001"}}}""",
            json);
    }

    [Fact]
    public void A_timer_without_status_sends_null()
    {
        var json = InvocationEnvelope.Serialize(InvocationEnvelope.ForTimer("timer", null, isPastDue: false, Sys));
        Assert.Contains("""
            "ScheduleStatus":null,"IsPastDue":false
            """.Trim(), json, StringComparison.Ordinal);
    }
}
