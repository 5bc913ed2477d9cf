using System.Security.Cryptography;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;

using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}</c> (a dashboard link): the partnership lead's timeliness dashboard — on-time rates by
/// recipient type week by week, late and missing counts, police-side delay, NPS against CRC — drawn in the browser with
/// Chart.js, served by the hub in the page itself (no CDN). The page holds no data; it reads it from
/// <c>GetDashboardData</c> with the same link.
/// </summary>
public sealed class OpenDashboard(DashboardLinks links)
{
    [Function(nameof(OpenDashboard))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}")] HttpRequest request, string token)
    {
        if (await links.LeadAsync(request.HttpContext, request.HttpContext.RequestAborted) is null) return Problems.NotFound(ApiKeyMiddleware.LinkNotValid);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Reports.DashboardPage.ContentSecurityPolicy(nonce);
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.Content(Reports.DashboardPage.Render(nonce), "text/html; charset=utf-8");
    }
}
