using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NotifyHub.DevHost.Config;

internal enum MessageEncoding { Base64, None }

/// <summary>The parts of host.json the DevHost honours.</summary>
internal sealed record HostConfig(
    string RoutePrefix,
    QueuesConfig Queues,
    TimeSpan? FunctionTimeout,
    LogLevels LogLevels)
{
    /// <summary>The host's default functionTimeout (Consumption and Flex Consumption: 5 minutes; null means unbounded, "-1").</summary>
    public static readonly TimeSpan DefaultFunctionTimeout = TimeSpan.FromMinutes(5);

    public static HostConfig Parse(string path)
    {
        using var doc = ConfigJson.ParseFile(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new DevHostConfigurationException($"{path} must hold a JSON object.");
        if (root.String("version") is { } version && version != "2.0")
            throw new DevHostConfigurationException($"{path}: version '{version}' is not supported; the Functions host v4 reads version 2.0.");

        var extensions = root.Property("extensions");
        var routePrefix = extensions?.Property("http")?.String("routePrefix") ?? "api";
        var queues = QueuesConfig.Parse(extensions?.Property("queues"), path);

        TimeSpan? functionTimeout = DefaultFunctionTimeout;
        if (root.String("functionTimeout") is { } timeout)
        {
            functionTimeout = timeout.Trim() == "-1" ? null : ParseTimeSpan(timeout, "functionTimeout", path);
            if (functionTimeout <= TimeSpan.Zero)
                throw new DevHostConfigurationException($"{path}: functionTimeout must be positive, or -1 for none.");
        }

        return new HostConfig(routePrefix.Trim('/'), queues, functionTimeout, LogLevels.Parse(root.Property("logging")?.Property("logLevel"), path));
    }

    internal static TimeSpan ParseTimeSpan(string value, string setting, string path) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var result) && result >= TimeSpan.Zero
            ? result
            : throw new DevHostConfigurationException($"{path}: {setting} '{value}' is not a TimeSpan such as 00:00:30.");
}

/// <summary>host.json <c>logging.logLevel</c>: the most specific category prefix wins, then <c>default</c>.</summary>
internal sealed record LogLevels(IReadOnlyDictionary<string, LogLevel> ByCategory, LogLevel Default)
{
    public static LogLevels Parse(JsonElement? section, string path)
    {
        var levels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        var fallback = LogLevel.Information;
        if (section is { ValueKind: JsonValueKind.Object } json)
        {
            foreach (var entry in json.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || !Enum.TryParse<LogLevel>(entry.Value.GetString(), ignoreCase: true, out var level))
                    throw new DevHostConfigurationException($"{path}: logging.logLevel.{entry.Name} must be one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
                if (entry.Name.Equals("default", StringComparison.OrdinalIgnoreCase)) fallback = level;
                else levels[entry.Name] = level;
            }
        }
        return new LogLevels(levels, fallback);
    }

    public LogLevel For(string category)
    {
        var best = Default;
        var bestLength = -1;
        foreach (var (prefix, level) in ByCategory)
        {
            if (prefix.Length > bestLength && category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (category.Length == prefix.Length || category[prefix.Length] == '.'))
            {
                best = level;
                bestLength = prefix.Length;
            }
        }
        return best;
    }
}

/// <summary>host.json extensions.queues, with the queue extension's defaults.</summary>
internal sealed record QueuesConfig(
    int BatchSize,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int MaxDequeueCount,
    MessageEncoding MessageEncoding,
    int NewBatchThreshold)
{
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // maxPollingInterval defaults to 1 min in Azure and 2 s when the host runs locally.
    public static QueuesConfig Default { get; } =
        new(16, TimeSpan.FromSeconds(2), TimeSpan.Zero, 5, MessageEncoding.Base64, 8);

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
        // As the queue extension on one instance: a new batch is fetched once no more than batchSize/2 are still running.
        var newBatchThreshold = Int(queues, "newBatchThreshold") ?? batchSize / 2;
        if (newBatchThreshold is < 0 or > 1000)
            throw new DevHostConfigurationException($"{path}: extensions.queues.newBatchThreshold must be 0–1000, not {newBatchThreshold}.");
        return new QueuesConfig(batchSize, maxPolling, visibility, maxDequeueCount, encoding, newBatchThreshold);
    }

    private static int? Int(JsonElement section, string name) =>
        section.Property(name) switch
        {
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
            { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        };
}
