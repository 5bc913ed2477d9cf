using System.Text.Json;

namespace NotifyHub.Hosting;

/// <summary>
/// Endpoint metadata naming the function an endpoint implements, so that a test can hold every
/// endpoint against its <c>function.json</c> (route, methods, trigger type, queue name).
/// </summary>
public sealed record FunctionBinding(string FunctionName, string TriggerType, string? QueueName = null);

public static class FunctionEndpoints
{
    /// <summary>The host's default HTTP route prefix (host.json <c>extensions.http.routePrefix</c>).</summary>
    public const string RoutePrefix = "/api";

    /// <summary>An HTTP function reached by request forwarding: a plain endpoint under <c>/api</c>.</summary>
    public static TBuilder AsFunction<TBuilder>(this TBuilder builder, string functionName) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FunctionBinding(functionName, "httpTrigger"));

    /// <summary>
    /// A queue-triggered function: the host posts the invocation envelope to <c>/{functionName}</c>.
    /// A thrown exception answers 500, which fails the invocation so the host retries and finally
    /// poisons the message: handlers do not catch what they cannot handle.
    /// </summary>
    public static RouteHandlerBuilder MapQueueFunction(
        this IEndpointRouteBuilder app, string functionName, string queueName, string binding,
        Func<QueueMessage, IServiceProvider, CancellationToken, Task> handle) =>
        app.MapPost("/" + functionName, async (HttpContext context) =>
            {
                var request = await ReadAsync(context);
                var message = new QueueMessage(request.QueueMessageText(binding), request.DequeueCount);
                await handle(message, context.RequestServices, context.RequestAborted);
                return Success();
            })
            .WithMetadata(new FunctionBinding(functionName, "queueTrigger", queueName))
            .ExcludeFromDescription();

    /// <summary>A timer-triggered function: the host posts the invocation envelope to <c>/{functionName}</c>.</summary>
    public static RouteHandlerBuilder MapTimerFunction(
        this IEndpointRouteBuilder app, string functionName, string binding,
        Func<TimerInfo, IServiceProvider, CancellationToken, Task> handle) =>
        app.MapPost("/" + functionName, async (HttpContext context) =>
            {
                var request = await ReadAsync(context);
                var timer = request.Trigger(binding, InvocationJsonContext.Default.TimerInfo);
                await handle(timer, context.RequestServices, context.RequestAborted);
                return Success();
            })
            .WithMetadata(new FunctionBinding(functionName, "timerTrigger"))
            .ExcludeFromDescription();

    private static async Task<InvocationRequest> ReadAsync(HttpContext context)
    {
        try
        {
            return await context.Request.ReadFromJsonAsync(InvocationJsonContext.Default.InvocationRequest, context.RequestAborted)
                ?? throw new InvalidInvocationException("The invocation body is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException("The invocation body is not the host's JSON envelope: " + e.Message);
        }
    }

    private static IResult Success() =>
        TypedResults.Json(InvocationResult.Success(), InvocationJsonContext.Default.InvocationResult);
}

/// <summary>One decoded queue message as a function sees it.</summary>
public sealed record QueueMessage(string Text, long DequeueCount);
