using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace NotifyHub.Tests.DevHost;

public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");
}

public sealed record FakeResponse(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Ok { get; } = new(200, """{"Outputs":{},"Logs":["handled"],"ReturnValue":null}""");
    public static FakeResponse Fail { get; } = new(500, """{"error":"boom"}""");
}

/// <summary>
/// A stand-in custom handler: a real Kestrel server on 127.0.0.1:0 that records every request and
/// answers as the test says (by default a successful invocation result).
/// </summary>
public sealed class FakeHandler : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];

    private FakeHandler(WebApplication app, Func<RecordedRequest, FakeResponse> respond)
    {
        _app = app;
        Respond = respond;
    }

    public Uri Address { get; private set; } = null!;

    public Func<RecordedRequest, FakeResponse> Respond { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>The invocation envelopes posted to <c>/{function}</c>, in arrival order.</summary>
    public IReadOnlyList<JsonNode> InvocationsOf(string function) =>
        Requests.Where(r => r.Method == "POST" && r.Path == "/" + function).Select(r => r.Json).ToList();

    public static async Task<FakeHandler> StartAsync(Func<RecordedRequest, FakeResponse>? respond = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null; // the handler under test decides its own limits
        });
        builder.Services.AddRouting();
        var app = builder.Build();
        var handler = new FakeHandler(app, respond ?? (_ => FakeResponse.Ok));
        app.Run(handler.HandleAsync);
        await app.StartAsync();
        handler.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return handler;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        lock (_requests) _requests.Add(request);

        var response = Respond(request);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
