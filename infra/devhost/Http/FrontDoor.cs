using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// The DevHost's HTTP entry point: /admin, then HTTP functions forwarded to the handler unchanged
/// (enableForwardingHttpRequest), else 404.
/// </summary>
internal sealed class FrontDoor(
    RouteTable routes, AdminApi admin, IHttpForwarder forwarder, HttpMessageInvoker handlerClient,
    Uri handler, TimeSpan activityTimeout, ILogger logger)
{
    private readonly string _destination = handler.GetLeftPart(UriPartial.Authority);
    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = activityTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromDays(1) : activityTimeout,
        // The host forwards with a plain HttpClient: HTTP/1.1 to the handler.
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            await admin.HandleAsync(context);
            return;
        }

        var (outcome, function) = routes.Match(context);
        switch (outcome)
        {
            case RouteTable.Outcome.Matched:
                // The original path and query, all headers and the raw body; the handler's answer comes back as is.
                var started = Stopwatch.GetTimestamp();
                var error = await forwarder.SendAsync(context, _destination, handlerClient, _config, HttpTransformer.Default);
                if (error != ForwarderError.None)
                    Log.ForwardFailed(logger, context.Request.Method, function!.Route, function.Name, error.ToString());
                Log.Forwarded(logger, function!.Name, context.Request.Method, function.Route, context.Response.StatusCode,
                    (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                break;
            case RouteTable.Outcome.MethodNotAllowed:
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found",
                    $"No function accepts {context.Request.Method} on this route.");
                break;
            default:
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", "No function has this route.");
                break;
        }
    }
}
