using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>One request a test receiver got: the Standard Webhooks headers and the body exactly as sent.</summary>
public sealed record ReceivedWebhook(DateTimeOffset At, string? Id, string? Timestamp, string? Signature, string? ContentType, string Body);

/// <summary>
/// A real HTTP server on loopback that receives webhooks. Each request is recorded, then answered by the test's
/// responder, which is told how many requests came before (so "fail twice, then accept" is one line).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    public string Url { get; }
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static Task<WebhookReceiver> StartAsync() => StartAsync((context, _) => { context.Response.StatusCode = 200; return Task.CompletedTask; });

    public static async Task<WebhookReceiver> StartAsync(Func<HttpContext, int, Task> respond, string path = "/hook")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            receiver!._received.Enqueue(new ReceivedWebhook(DateTimeOffset.UtcNow, headers["webhook-id"], headers["webhook-timestamp"],
                headers["webhook-signature"], headers.ContentType, body));
            await respond(context, Interlocked.Increment(ref count) - 1);
        });
        await app.StartAsync();
        var address = app.Urls.Single().Replace("[::1]", "127.0.0.1");
        receiver = new WebhookReceiver(app, address.TrimEnd('/') + path);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
