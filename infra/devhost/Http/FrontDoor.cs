using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging;
using NotifyHub.DevHost.Functions;
using NotifyHub.DevHost.Invocations;
using NotifyHub.DevHost.Worker;
using Yarp.ReverseProxy.Forwarder;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// The DevHost's HTTP entry point for HTTP functions. Routes are chosen exactly as the worker's own router
/// chooses them — ASP.NET Core routing over <c>{routePrefix}/{route}</c> with the function's methods — so
/// the request the worker receives is always one it routes to the same function. A matched request is
/// proxied to the worker's <c>HttpUri</c> with <c>x-ms-invocation-id</c> and <c>X-Forwarded-*</c>, while
/// the InvocationRequest with the same id goes over gRPC; the worker pairs the two. No route: 404; a
/// route without the method: 405 with <c>Allow</c>; both problem+json.
/// </summary>
internal sealed class FrontDoor(WorkerSupervisor supervisor, Invoker invoker, IHttpForwarder forwarder, HttpMessageInvoker workerClient, ILogger logger)
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly ForwarderRequestConfig Config = new()
    {
        // The host's own proxy timeout (Azure's load balancer closes idle requests at 230 s).
        ActivityTimeout = TimeSpan.FromSeconds(240),
    };

    /// <summary>Maps every HTTP function's route, and answers what no route takes.</summary>
    public void Map(WebApplication app, IEnumerable<HttpFunction> functions)
    {
        app.UseRouting();
        app.Use(AnswerUnmatchedAsync);
        foreach (var function in functions)
        {
            app.Map(RoutePatternFactory.Parse(function.Template), context => ForwardAsync(context, function))
                .WithMetadata(new HttpMethodMetadata(function.Methods))
                .WithMetadata(function)
                .WithDisplayName(function.Name);
        }
    }

    private static async Task AnswerUnmatchedAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", "No function has this route.");
            return;
        }
        await next(context);
        // ASP.NET Core routing's own 405 endpoint sets the status and Allow but writes no body.
        if (endpoint.Metadata.GetMetadata<HttpFunction>() is null && context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed",
                $"No function accepts {context.Request.Method} on this route; it accepts {context.Response.Headers.Allow}.");
        }
    }

    private async Task ForwardAsync(HttpContext context, HttpFunction function)
    {
        var started = Stopwatch.GetTimestamp();
        WorkerSession session;
        try
        {
            session = await supervisor.SessionAsync(context.RequestAborted);
        }
        catch (WorkerUnavailableException e)
        {
            context.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", e.Message);
            return;
        }
        if (session.HttpUri is not { } workerUri)
        {
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error",
                "The worker did not report an HttpUri capability: HTTP functions need the ASP.NET Core integration (ConfigureFunctionsWebApplication).");
            return;
        }

        // As the host: the invocation id rides on the proxied request (overriding any the client sent).
        var invocationId = Guid.NewGuid();
        context.Request.Headers[InvocationIdHeader] = invocationId.ToString();
        var data = TriggerData.Http(function, context.Request.RouteValues, context.Request.Query, context.Request.Headers);
        var forwarding = forwarder.SendAsync(context, workerUri.GetLeftPart(UriPartial.Authority), workerClient, Config, HttpTransformer.Default).AsTask();
        var invocation = invoker.InvokeAsync(session, function, invocationId, data,
            $"This function was programmatically called via the host APIs.", context.Request.Headers.TraceParent.ToString(), context.RequestAborted);

        var error = await forwarding;
        InvocationResult? result = null;
        try
        {
            result = await invocation;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }

        if (error != ForwarderError.None)
        {
            Log.ForwardFailed(logger, context.Request.Method, function.Template, function.Name, error.ToString());
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Problems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                    $"The worker did not answer the request ({error}){(result?.Error is { } why ? ": " + why : "")}.");
            }
        }
        else if (result is { Succeeded: false } && !context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error", "The function failed: " + result.Error);
        }
        Log.Forwarded(logger, function.Name, context.Request.Method, function.Template, context.Response.StatusCode,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
