using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NotifyHub.DevHost.Http;

/// <summary>The front door's error answers, all problem+json, written in this one place.</summary>
internal static class Problems
{
    // Plain apostrophes and quotes in details: readable in a terminal, still valid JSON.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        }, Json, context.RequestAborted);
    }
}
