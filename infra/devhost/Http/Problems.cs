using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NotifyHub.DevHost.Http;

/// <summary>The front door's error answers, all problem+json, written in this one place.</summary>
internal static class Problems
{
    // Plain apostrophes and quotes in details: readable in a terminal, still valid JSON.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Type(int status) => status switch
    {
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status413PayloadTooLarge => "too-large",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "host-error",
    };

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            // The hub's own problem types (functions/Hosting/Problems.cs), so a client sees one vocabulary whoever answered.
            ["type"] = "https://notifyhub.example/problems/" + Type(status),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value ?? "/",
        }, Json, context.RequestAborted);
    }
}
