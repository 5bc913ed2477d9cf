using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Timers;
using NotifyHub.DevHost.Worker.Rpc;

namespace NotifyHub.DevHost.Invocations;

/// <summary>What the queue trigger knows about a message, as the host's binding data names it.</summary>
internal sealed record QueueMessageInfo(
    string Id, long DequeueCount, DateTimeOffset? InsertionTime, DateTimeOffset? ExpirationTime,
    DateTimeOffset? NextVisibleTime, string? PopReceipt);

/// <summary>
/// The trigger's part of an InvocationRequest — input data and trigger metadata — built as the host
/// builds it for each trigger type. Pure: tested field by field.
/// </summary>
internal sealed record TriggerData(IReadOnlyList<ParameterBinding> Inputs, IReadOnlyDictionary<string, TypedData> Metadata)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public InvocationRequest ToRequest(Guid invocationId, string functionId, string? traceParent = null)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId.ToString(),
            FunctionId = functionId,
            // The worker dereferences the trace context of every invocation: it must be there.
            TraceContext = new RpcTraceContext { TraceParent = ValidTraceParent(traceParent) ?? NewTraceParent(), TraceState = "" },
        };
        request.InputData.AddRange(Inputs);
        foreach (var (name, value) in Metadata) request.TriggerMetadata[name] = value;
        return request;
    }

    /// <summary>
    /// A queue message: the text as a string input (or, for an SDK-type parameter, model binding data the worker
    /// binds itself), and the host's binding data: QueueTrigger, Id, PopReceipt, DequeueCount (JSON number),
    /// InsertionTime, ExpirationTime and NextVisibleTime (JSON dates). The top-level non-array properties of a
    /// JSON object message are then merged in, overwriting a built-in key of the same name, as the host's
    /// WorkerFunctionInvoker does (Utility.ApplyBindingData).
    /// </summary>
    public static TriggerData Queue(QueueFunction function, string text, QueueMessageInfo message)
    {
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        metadata["QueueTrigger"] = new TypedData { String = text };
        metadata["Id"] = new TypedData { String = message.Id };
        metadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        if (message.PopReceipt is { } popReceipt) metadata["PopReceipt"] = new TypedData { String = popReceipt };
        AddDate(metadata, "InsertionTime", message.InsertionTime);
        AddDate(metadata, "ExpirationTime", message.ExpirationTime);
        AddDate(metadata, "NextVisibleTime", message.NextVisibleTime);
        foreach (var (name, value) in JsonObjectProperties(text)) metadata[name] = value;

        var input = function.DeferredBinding
            ? new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = ByteString.CopyFromUtf8(JsonSerializer.Serialize(new
                    {
                        MessageId = message.Id,
                        message.PopReceipt,
                        MessageText = text,
                        message.DequeueCount,
                        InsertedOn = message.InsertionTime,
                        ExpiresOn = message.ExpirationTime,
                        NextVisibleOn = message.NextVisibleTime,
                    }, Json)),
                },
            }
            : new TypedData { String = text };
        return new TriggerData([new ParameterBinding { Name = function.BindingName, Data = input }], metadata);
    }

    /// <summary>A timer: the serialized TimerInfo as JSON input, and <c>TimerTrigger</c> (the time it fired) as metadata.</summary>
    public static TriggerData Timer(TimerFunction function, ScheduleStatus? status, bool isPastDue, DateTimeOffset now)
    {
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = status is null ? null : new { status.Last, status.Next, status.LastUpdated },
            IsPastDue = isPastDue,
        }, Json);
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase)
        {
            ["TimerTrigger"] = new TypedData { String = now.ToString("O", CultureInfo.InvariantCulture) },
        };
        return new TriggerData([new ParameterBinding { Name = function.BindingName, Data = new TypedData { Json = timerInfo } }], metadata);
    }

    /// <summary>
    /// An HTTP request that is proxied to the worker: an empty RpcHttp as input (the worker reads the real
    /// request from its own server), and binding data from the query string, then the route values (which win),
    /// then <c>Query</c> and <c>Headers</c> as JSON objects.
    /// </summary>
    public static TriggerData Http(HttpFunction function, RouteValueDictionary routeValues, IQueryCollection query, IHeaderDictionary headers)
    {
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in query)
        {
            if (!name.Equals("code", StringComparison.OrdinalIgnoreCase)) metadata[name] = new TypedData { String = value.ToString() };
        }
        foreach (var (name, value) in routeValues)
        {
            if (value is not null) metadata[name] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };
        }
        metadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query.ToDictionary(q => q.Key, q => q.Value.ToString()), Json) };
        metadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(headers.ToDictionary(h => h.Key, h => h.Value.ToString()), Json) };
        return new TriggerData([new ParameterBinding { Name = function.BindingName, Data = new TypedData { Http = new RpcHttp() } }], metadata);
    }

    private static void AddDate(Dictionary<string, TypedData> metadata, string name, DateTimeOffset? value)
    {
        if (value is { } v) metadata[name] = new TypedData { Json = JsonSerializer.Serialize(v, Json) };
    }

    private static IEnumerable<(string Name, TypedData Value)> JsonObjectProperties(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{') return [];
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return [];
            return json.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
                .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String
                    ? new TypedData { String = p.Value.GetString() }
                    : new TypedData { Json = p.Value.GetRawText() }))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string NewTraceParent() => $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";

    private static string? ValidTraceParent(string? value) =>
        value is { Length: 55 } && value.StartsWith("00-", StringComparison.Ordinal) && ActivityContext.TryParse(value, null, out _) ? value : null;
}
