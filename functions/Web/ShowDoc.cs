using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /docs/{name}</c> (open to anyone: the docs hold no data): the repository's <c>docs/*.md</c>, as the build
/// embedded them, in plain text — so the landing page's links work wherever the hub runs.
/// </summary>
public sealed class ShowDoc
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Docs = new(() =>
    {
        const string prefix = "NotifyHub.Docs.";
        var assembly = typeof(ShowDoc).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..], n => Web.StaticAssets.Read(assembly, n)!, StringComparer.Ordinal);
    });

    [Function(nameof(ShowDoc))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{name}")] HttpRequest request, string name)
    {
        if (!Docs.Value.TryGetValue(name, out var body)) return Problems.NotFound($"There is no document called {name}. The documents are: {string.Join(", ", Docs.Value.Keys.Order())}.");
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(body, "text/plain; charset=utf-8");
    }
}
