using System.Globalization;
using System.Text.Json;

namespace NotifyHub.DevHost.Config;

internal enum MessageEncoding { Base64, None }

/// <summary>The parts of host.json the DevHost honours.</summary>
internal sealed record HostConfig(
    CustomHandlerConfig CustomHandler,
    string RoutePrefix,
    QueuesConfig Queues,
    TimeSpan? FunctionTimeout)
{
    /// <summary>The host's HttpClient timeout: functionTimeout + 1 min, so the function timeout fires first.</summary>
    public TimeSpan InvocationTimeout => FunctionTimeout is { } t ? t + TimeSpan.FromMinutes(1) : Timeout.InfiniteTimeSpan;

    public static HostConfig Parse(string path)
    {
        using (var doc = ConfigJson.ParseFile(path))
        {
            var root = doc.RootElement;
            var handler = root.Property("customHandler") ?? root.Property("httpWorker");
            var description = handler?.Property("description");
            var arguments = description?.Property("arguments") is { ValueKind: JsonValueKind.Array } args
                ? args.EnumerateArray().Select(a => a.GetString() ?? "").ToArray()
                : [];
            var customHandler = new CustomHandlerConfig(
                description?.String("defaultExecutablePath"),
                arguments,
                description?.String("workingDirectory"),
                handler?.Bool("enableForwardingHttpRequest") ?? false);

            var extensions = root.Property("extensions");
            var routePrefix = extensions?.Property("http")?.String("routePrefix") ?? "api";
            var queues = QueuesConfig.Parse(extensions?.Property("queues"), path);

            TimeSpan? functionTimeout = TimeSpan.FromMinutes(5);
            if (root.String("functionTimeout") is { } timeout)
            {
                functionTimeout = timeout.Trim() == "-1" ? null : ParseTimeSpan(timeout, "functionTimeout", path);
            }

            return new HostConfig(customHandler, routePrefix.Trim('/'), queues, functionTimeout);
        }
    }

    internal static TimeSpan ParseTimeSpan(string value, string setting, string path) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var result) && result >= TimeSpan.Zero
            ? result
            : throw new DevHostConfigurationException($"{path}: {setting} '{value}' is not a TimeSpan such as 00:00:30.");
}

internal sealed record CustomHandlerConfig(
    string? DefaultExecutablePath,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    bool EnableForwardingHttpRequest);

/// <summary>host.json extensions.queues, with the queue extension's defaults.</summary>
internal sealed record QueuesConfig(
    int BatchSize,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int MaxDequeueCount,
    MessageEncoding MessageEncoding)
{
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // maxPollingInterval defaults to 1 min in Azure and 2 s when the host runs locally.
    public static QueuesConfig Default { get; } =
        new(16, TimeSpan.FromSeconds(2), TimeSpan.Zero, 5, MessageEncoding.Base64);

    public static QueuesConfig Parse(JsonElement? section, string path)
    {
        if (section is not { } queues) return Default;
        var batchSize = Int(queues, "batchSize") ?? Default.BatchSize;
        if (batchSize is < 1 or > 32)
            throw new DevHostConfigurationException($"{path}: extensions.queues.batchSize must be 1–32, not {batchSize}.");
        var maxDequeueCount = Int(queues, "maxDequeueCount") ?? Default.MaxDequeueCount;
        if (maxDequeueCount < 1)
            throw new DevHostConfigurationException($"{path}: extensions.queues.maxDequeueCount must be at least 1.");
        var maxPolling = queues.String("maxPollingInterval") is { } p
            ? HostConfig.ParseTimeSpan(p, "extensions.queues.maxPollingInterval", path)
            : Default.MaxPollingInterval;
        if (maxPolling < MinPollingInterval)
            throw new DevHostConfigurationException($"{path}: extensions.queues.maxPollingInterval must be at least 00:00:00.1.");
        var visibility = queues.String("visibilityTimeout") is { } v
            ? HostConfig.ParseTimeSpan(v, "extensions.queues.visibilityTimeout", path)
            : Default.VisibilityTimeout;
        var encoding = queues.String("messageEncoding")?.ToLowerInvariant() switch
        {
            null or "base64" => MessageEncoding.Base64,
            "none" => MessageEncoding.None,
            var other => throw new DevHostConfigurationException(
                $"{path}: extensions.queues.messageEncoding must be 'base64' or 'none', not '{other}'."),
        };
        return new QueuesConfig(batchSize, maxPolling, visibility, maxDequeueCount, encoding);
    }

    private static int? Int(JsonElement section, string name) =>
        section.Property(name) switch
        {
            { ValueKind: JsonValueKind.Number } n => n.GetInt32(),
            { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        };
}
