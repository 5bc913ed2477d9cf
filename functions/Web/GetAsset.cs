using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /assets/{path}</c> (open to anyone: these hold no data): the pages' stylesheet, scripts and images
/// (<see cref="StaticAssets"/>), with a strong ETag; a revalidation with the same tag is 304.
/// </summary>
public sealed class GetAsset
{
    [Function(nameof(GetAsset))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{*path}")] HttpRequest request, string path)
    {
        if (StaticAssets.Find(path) is not { } asset) return Problems.NotFound("There is no asset at this path.");
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "public, max-age=3600";
        headers.XContentTypeOptions = "nosniff";
        headers.Vary = "Accept-Encoding";
        if (request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (asset.Gzipped && request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(asset.Body, asset.ContentType);
        }
        return TypedResults.Bytes(asset.Plain, asset.ContentType);
    }
}
