using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Strategy;
using NotifyHub.Timeliness;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}/strategy</c> (a dashboard link): the strategy report — the same answer and query as
/// <c>GET /api/reports/strategy</c>, JSON or CSV, for the link's partnership lead and its LAs only. The dashboard's
/// "Strategy discussions (CSV)" link is its CSV.
/// </summary>
public sealed class GetDashboardStrategy(DashboardLinks links, StrategyReports strategy, ReportReader reports)
{
    [Function(nameof(GetDashboardStrategy))]
    [RequiresLink(LinkKind.Dashboard)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}/strategy")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return LinkPages.NotValid(request.HttpContext, LinkKind.Dashboard);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return await GetStrategyReport.AnswerAsync(request, strategy, reports, new Scope(lead.LaCodes ?? [], null), ct);
    }
}
