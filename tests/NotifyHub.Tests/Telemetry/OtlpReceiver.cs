using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NotifyHub.Tests.Telemetry.Otlp;

namespace NotifyHub.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP (protobuf) endpoint on loopback, standing where a collector or Azure Monitor would: the hub's worker
/// exports to it through <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. It keeps every request's raw bytes (for the privacy
/// scan) and the parsed spans, metric points and log records (for what the tests assert).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _bodies = new();
    private readonly ConcurrentQueue<ExportTraceServiceRequest> _traces = new();
    private readonly ConcurrentQueue<ExportMetricsServiceRequest> _metrics = new();
    private readonly ConcurrentQueue<ExportLogsServiceRequest> _logs = new();

    public string Endpoint { get; }

    private OtlpReceiver(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        app.MapPost("/v1/traces", context => receiver!.Receive(context, body => receiver._traces.Enqueue(ExportTraceServiceRequest.Parser.ParseFrom(body))));
        app.MapPost("/v1/metrics", context => receiver!.Receive(context, body => receiver._metrics.Enqueue(ExportMetricsServiceRequest.Parser.ParseFrom(body))));
        app.MapPost("/v1/logs", context => receiver!.Receive(context, body => receiver._logs.Enqueue(ExportLogsServiceRequest.Parser.ParseFrom(body))));
        await app.StartAsync();
        var address = app.Urls.Single();
        receiver = new OtlpReceiver(app, address);
        return receiver;
    }

    private async Task Receive(HttpContext context, Action<byte[]> parse)
    {
        using var buffer = new MemoryStream();
        var body = context.Request.Headers.ContentEncoding == "gzip" ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        await body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        _bodies.Enqueue(bytes);
        parse(bytes);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf"; // an empty Export*ServiceResponse: everything accepted
    }

    /// <summary>How many metric exports have arrived: the exporter sends one every interval, whatever happened.</summary>
    public int MetricExports => _metrics.Count;

    /// <summary>Every request body received so far, as sent.</summary>
    public IReadOnlyList<byte[]> Bodies => _bodies.ToArray();

    public IReadOnlyList<(string Scope, Span Span)> Spans =>
        _traces.ToArray().SelectMany(r => r.ResourceSpans).SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans.Select(span => (s.Scope?.Name ?? "", span))).ToList();

    public IReadOnlyList<(string Metric, NumberDataPoint Point)> MetricPoints =>
        _metrics.ToArray().SelectMany(r => r.ResourceMetrics).SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics)
            .SelectMany(m => (m.Sum ?? m.Gauge)?.DataPoints.Select(p => (m.Name, p)) ?? []).ToList();

    public IReadOnlyList<LogRecord> Logs =>
        _logs.ToArray().SelectMany(r => r.ResourceLogs).SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords).ToList();

    /// <summary>
    /// The latest cumulative value of <paramref name="metric"/> summed over the points whose attributes include
    /// <paramref name="attributes"/> (the exporter's default temporality is cumulative: each export carries totals).
    /// </summary>
    public long Total(string metric, params (string Key, string Value)[] attributes)
    {
        var points = MetricPoints.Where(p => p.Metric == metric && attributes.All(a => p.Point.Attributes.Any(kv => kv.Key == a.Key && kv.Value.StringValue == a.Value)))
            .Select(p => p.Point).ToList();
        // One series per distinct attribute set; its newest point holds its total.
        return points.GroupBy(p => string.Join(",", p.Attributes.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}")))
            .Sum(series => series.MaxBy(p => p.TimeUnixNano)!.AsInt);
    }

    /// <summary>Every string the parsed telemetry holds: names, attribute keys and values, log bodies, status messages, resource and scope.</summary>
    public IEnumerable<string> Strings()
    {
        foreach (var message in _traces.ToArray().Cast<IMessage>().Concat(_metrics.ToArray()).Concat(_logs.ToArray()))
            foreach (var text in StringsOf(message)) yield return text;
    }

    private static IEnumerable<string> StringsOf(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var items = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>() : [value];
            foreach (var item in items)
            {
                switch (item)
                {
                    case string text when text.Length > 0: yield return text; break;
                    case IMessage nested: foreach (var text in StringsOf(nested)) yield return text; break;
                }
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
