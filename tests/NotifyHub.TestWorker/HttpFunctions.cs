using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace NotifyHub.TestWorker;

public sealed class HttpFunctions
{
    /// <summary>Answers with everything it received: the proxied request and the binding data of the invocation.</summary>
    [Function("Echo")]
    public static async Task<IResult> EchoAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "echo/{kind}/{id:int}")] HttpRequest request, string kind, int id, FunctionContext context)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        request.HttpContext.Response.Headers["X-Worker"] = "echo";
        return Results.Json(new
        {
            function = "Echo",
            method = request.Method,
            path = request.Path.Value,
            query = request.QueryString.Value,
            host = request.Host.Value,
            scheme = request.Scheme,
            boundKind = kind,
            boundId = id,
            routeKind = request.RouteValues["kind"]?.ToString(),
            invocationHeader = request.Headers["x-ms-invocation-id"].ToString(),
            invocationId = context.InvocationId,
            custom = request.Headers["X-Custom"].ToString(),
            contentType = request.ContentType,
            body,
        }, statusCode: 201);
    }

    /// <summary>No route: the function's name is its route (<c>/api/Ping</c>).</summary>
    [Function("Ping")]
    public static IResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "delete")] HttpRequest request) =>
        Results.Text("pong", "text/plain");

    /// <summary>A catch-all route parameter.</summary>
    [Function("Items")]
    public static IResult Items([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{*rest}")] HttpRequest request) =>
        Results.Json(new { function = "Items", rest = request.RouteValues["rest"]?.ToString() });

    /// <summary>Every method: no methods are declared.</summary>
    [Function("AnyMethod")]
    public static IResult AnyMethod([HttpTrigger(AuthorizationLevel.Anonymous, Route = "any")] HttpRequest request) =>
        Results.Json(new { function = "AnyMethod", method = request.Method });

    /// <summary>A redirect: the host passes it back to the client, it does not follow it.</summary>
    [Function("Moved")]
    public static IResult Moved([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "moved")] HttpRequest request) =>
        Results.Redirect("/elsewhere");

    /// <summary>A request body larger than Kestrel's 30 MB default, as a GIAS extract is.</summary>
    [Function("Upload")]
    public static async Task<IResult> UploadAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "upload")] HttpRequest request)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = 100L * 1024 * 1024;
        long length = 0;
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0) length += read;
        return Results.Json(new { length });
    }
}
