using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}/timeliness</c> (a dashboard link): the timeliness report the dashboard draws — the same
/// answer and query as <c>GET /api/reports/timeliness</c>, for the link's partnership lead and its LAs only.
/// </summary>
public sealed class GetDashboardData(DashboardLinks links, ReportReader reports)
{
    [Function(nameof(GetDashboardData))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}/timeliness")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return Problems.NotFound(ApiKeyMiddleware.LinkNotValid);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return await GetTimelinessReport.AnswerAsync(request, reports, new Scope(lead.LaCodes ?? [], null), ct);
    }
}
