using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reference</c> (open to anyone: it holds no data): the API reference, drawn in the browser by Scalar from the
/// OpenAPI document. Without JavaScript it links to the document itself.
/// </summary>
public sealed class ShowApiReference
{
    [Function(nameof(ShowApiReference))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reference")] HttpRequest request)
    {
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>API reference – NotifyHub</title>" +
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">" +
            "<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/images/favicon.ico\"></head><body>" +
            "<noscript><p>The API reference needs JavaScript. Read <a href=\"/api/openapi.json\">the OpenAPI document</a> instead, " +
            "or go back to <a href=\"/\">NotifyHub</a>.</p></noscript>" +
            "<div id=\"api-reference\"></div>" +
            "<script src=\"/assets/scalar.js\"></script><script src=\"/assets/api-reference.js\"></script></body></html>";
        var headers = request.HttpContext.Response.Headers;
        // Scalar styles its components inline and reads the document with fetch; nothing leaves the hub.
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
