using System.Diagnostics;
using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using NotifyHub.Storage;

namespace NotifyHub.Telemetry;

/// <summary>
/// Around every queue-triggered invocation: a span that continues the trace its message carries (the
/// <c>traceparent</c> the sender stamped on it, which the host hands over as binding data), linked to the
/// invocation's own span; and, when the invocation fails on the host's last attempt, the poison counter.
/// </summary>
internal sealed class QueueTelemetryMiddleware(HubMetrics metrics, IOptions<StorageOptions> storage) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!context.FunctionDefinition.InputBindings.Values.Any(b => b.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var data = context.BindingContext.BindingData;
        var function = context.FunctionDefinition.Name;
        var invocation = Activity.Current;
        using var activity = HubTelemetry.Source.StartActivity(function, ActivityKind.Consumer,
            HubTelemetry.ParentFrom(Text(data, QueueSend.TraceParentProperty)) ?? invocation?.Context ?? default,
            [new("faas.name", function), new("faas.trigger", "pubsub"), new("faas.invocation_id", context.InvocationId)],
            invocation is null ? null : [new ActivityLink(invocation.Context)]);
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            if (DequeueCount(data) >= storage.Value.MaxDequeueCount) metrics.Poisoned(function, "max-dequeue-count");
            throw;
        }
    }

    private static string? Text(IReadOnlyDictionary<string, object?> data, string key) =>
        data.TryGetValue(key, out var value) && value is string text ? text.Trim('"') : null;

    private static long DequeueCount(IReadOnlyDictionary<string, object?> data) =>
        data.TryGetValue("DequeueCount", out var value) && long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var count) ? count : 0;
}
