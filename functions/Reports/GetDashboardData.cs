using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}/timeliness</c> (a dashboard link): the timeliness report — the same answer and query as
/// <c>GET /api/reports/timeliness</c>, JSON or CSV, for the link's partnership lead and its LAs only. The dashboard's
/// "Download the figures" links are its CSV.
/// </summary>
public sealed class GetDashboardData(DashboardLinks links, ReportReader reports)
{
    [Function(nameof(GetDashboardData))]
    [RequiresLink(LinkKind.Dashboard)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}/timeliness")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return LinkPages.NotValid(request.HttpContext, LinkKind.Dashboard);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return await GetTimelinessReport.AnswerAsync(request, reports, new Scope(lead.LaCodes ?? [], null), ct);
    }
}
