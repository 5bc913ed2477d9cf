using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// The front door's own refusals, as problem+json: a request target longer than the host takes (414), more or
/// larger headers (431), a body larger than 100 MB (413). Kestrel's limits are set above these, so that such a
/// request reaches this check and gets a problem+json answer instead of Kestrel's empty one; only a request
/// beyond even those (or one that is not HTTP at all) gets Kestrel's bare status.
/// </summary>
internal static class RequestLimits
{
    public const long MaxBodyBytes = 100L * 1024 * 1024;
    public const int MaxTargetLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    public static void Configure(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxBodyBytes;
        limits.MaxRequestLineSize = MaxTargetLength * 8;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * 4;
        limits.MaxRequestHeaderCount = MaxHeaderCount * 10;
    }

    public static async Task RefuseOversizedAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var target = (request.PathBase + request.Path).ToUriComponent().Length + request.QueryString.ToUriComponent().Length;
        if (target > MaxTargetLength)
        {
            await Problems.WriteAsync(context, StatusCodes.Status414UriTooLong, "URI Too Long", $"The request target must be at most {MaxTargetLength} characters.");
            return;
        }
        var headerBytes = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0) + 4);
        if (request.Headers.Count > MaxHeaderCount || headerBytes > MaxHeaderBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request Header Fields Too Large",
                $"Send at most {MaxHeaderCount} headers and {MaxHeaderBytes} bytes of them.");
            return;
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"The body must be at most {MaxBodyBytes} bytes.");
            return;
        }
        try
        {
            await next(context);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // A body that turned out too large, or malformed, while it was being read.
            await Problems.WriteAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request", e.Message);
        }
    }
}
