using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Timeliness;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}/decisions</c> (a dashboard link): the decision report — the same answer and query as
/// <c>GET /api/reports/decisions</c>, JSON or CSV, for the link's partnership lead and its LAs only. The dashboard's
/// "MASH decisions (CSV)" link is its CSV.
/// </summary>
public sealed class GetDashboardDecisions(DashboardLinks links, MashDecisions decisions, ReportReader reports)
{
    [Function(nameof(GetDashboardDecisions))]
    [RequiresLink(LinkKind.Dashboard)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}/decisions")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return LinkPages.NotValid(request.HttpContext, LinkKind.Dashboard);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return await GetDecisionReport.AnswerAsync(request, decisions, reports, new Scope(lead.LaCodes ?? [], null), ct);
    }
}
