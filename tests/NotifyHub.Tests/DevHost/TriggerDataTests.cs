using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NCrontab;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Invocations;
using NotifyHub.DevHost.Timers;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.Tests.DevHost;

/// <summary>The trigger data of an InvocationRequest, as the host builds it for each trigger type (pure).</summary>
public class TriggerDataTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
    private static readonly QueueMessageInfo Message = new("msg-1", 3, At, At.AddDays(7), At.AddMinutes(10), "pop-1");

    [Fact]
    public void A_queue_message_is_a_string_input_with_the_hosts_binding_data()
    {
        var data = TriggerData.Queue(new QueueFunction("Route", "message", "incidents", false), "hello", Message);

        var input = Assert.Single(data.Inputs);
        Assert.Equal("message", input.Name);
        Assert.Equal("hello", input.Data.String);
        Assert.Equal("hello", data.Metadata["QueueTrigger"].String);
        Assert.Equal("msg-1", data.Metadata["Id"].String);
        Assert.Equal("pop-1", data.Metadata["PopReceipt"].String);
        Assert.Equal("3", data.Metadata["DequeueCount"].Json);
        Assert.Equal("\"2026-11-26T09:30:00+00:00\"", data.Metadata["InsertionTime"].Json);
        Assert.Equal("\"2026-12-03T09:30:00+00:00\"", data.Metadata["ExpirationTime"].Json);
        Assert.Equal("\"2026-11-26T09:40:00+00:00\"", data.Metadata["NextVisibleTime"].Json);
    }

    [Fact]
    public void A_JSON_message_adds_its_top_level_non_array_properties_and_they_overwrite_built_in_keys()
    {
        var data = TriggerData.Queue(new QueueFunction("Route", "message", "incidents", false), """{"incidentId":"inc_1","count":2,"Id":"mine","list":[1]}""", Message);

        Assert.Equal("inc_1", data.Metadata["incidentId"].String);
        Assert.Equal("2", data.Metadata["count"].Json);
        Assert.Equal("mine", data.Metadata["Id"].String);
        Assert.False(data.Metadata.ContainsKey("list"));
    }

    [Fact]
    public void An_SDK_typed_queue_parameter_gets_model_binding_data_describing_the_message()
    {
        var data = TriggerData.Queue(new QueueFunction("Sdk", "m", "q", DeferredBinding: true), "text ✓", Message);

        var binding = Assert.Single(data.Inputs).Data.ModelBindingData;
        Assert.Equal("AzureStorageQueues", binding.Source);
        Assert.Equal("application/json", binding.ContentType);
        var content = System.Text.Json.JsonDocument.Parse(binding.Content.ToStringUtf8()).RootElement;
        Assert.Equal("msg-1", content.GetProperty("MessageId").GetString());
        Assert.Equal("text ✓", content.GetProperty("MessageText").GetString());
        Assert.Equal(3, content.GetProperty("DequeueCount").GetInt64());
    }

    [Fact]
    public void A_timer_input_is_the_serialized_TimerInfo()
    {
        var schedule = CrontabSchedule.Parse("0 0 * * * *", new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var status = new ScheduleStatus(At.AddHours(-1), At, At.AddHours(-1));

        var data = TriggerData.Timer(new TimerFunction("Tick", "timer", "0 0 * * * *", schedule, false, null), status, isPastDue: true, At);

        Assert.Equal(
            """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-26T08:30:00+00:00","Next":"2026-11-26T09:30:00+00:00","LastUpdated":"2026-11-26T08:30:00+00:00"},"IsPastDue":true}""",
            Assert.Single(data.Inputs).Data.Json);
        Assert.Equal("2026-11-26T09:30:00.0000000+00:00", data.Metadata["TimerTrigger"].String);
        var none = TriggerData.Timer(new TimerFunction("Tick", "timer", "0 0 * * * *", schedule, false, null), null, isPastDue: false, At);
        Assert.Contains("\"ScheduleStatus\":null,\"IsPastDue\":false", none.Inputs[0].Data.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_invocation_carries_an_empty_RpcHttp_and_the_query_then_route_values_then_Query_and_Headers()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?force=from-query&page=2&code=secret");
        context.Request.Headers["X-Api-Key"] = "k";
        var routeValues = new RouteValueDictionary { ["force"] = "DUR", ["reference"] = "R-1" };

        var data = TriggerData.Http(new HttpFunction("Get", "req", "api/incidents/{force}/{reference}", ["get"]), routeValues, context.Request.Query, context.Request.Headers);

        Assert.Equal(TypedData.DataOneofCase.Http, Assert.Single(data.Inputs).Data.DataCase);
        Assert.Equal("DUR", data.Metadata["force"].String); // the route value wins over the query parameter
        Assert.Equal("R-1", data.Metadata["reference"].String);
        Assert.Equal("2", data.Metadata["page"].String);
        Assert.False(data.Metadata.ContainsKey("code"));
        Assert.Contains("\"page\":\"2\"", data.Metadata["Query"].Json, StringComparison.Ordinal);
        Assert.Contains("\"X-Api-Key\":\"k\"", data.Metadata["Headers"].Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invocation_request_has_a_trace_context_and_keeps_a_valid_incoming_traceparent()
    {
        var data = TriggerData.Queue(new QueueFunction("Route", "message", "incidents", false), "x", Message);
        var incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var fresh = data.ToRequest(Guid.NewGuid(), "fid");
        var kept = data.ToRequest(Guid.NewGuid(), "fid", incoming);
        var refused = data.ToRequest(Guid.NewGuid(), "fid", "not-a-traceparent");

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", fresh.TraceContext.TraceParent);
        Assert.Equal(incoming, kept.TraceContext.TraceParent);
        Assert.NotEqual("not-a-traceparent", refused.TraceContext.TraceParent);
        Assert.Equal("fid", fresh.FunctionId);
    }
}
