using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NotifyHub.DevHost.Http;

/// <summary>The front door's error answers, all problem+json, written in this one place.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            ["type"] = "https://httpstatuses.io/" + status,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value ?? "/",
        }, cancellationToken: context.RequestAborted);
    }
}
