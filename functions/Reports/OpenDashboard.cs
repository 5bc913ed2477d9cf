using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Reports;
using NotifyHub.Strategy;
using NotifyHub.Timeliness;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}</c> (a dashboard link): the partnership lead's timeliness dashboard for the last 13 weeks —
/// on-time rates by recipient type week by week, late and missing counts, police-side delay, NPS against CRC, and the MASHs'
/// decisions (the decision report over the same weeks), the strategy discussions (the strategy report) and the front door
/// (the front-door report) — rendered
/// by the hub as tables of the report's own numbers, with charts drawn from them in the browser (<see cref="DashboardPage"/>).
/// A link that does not open (forged, expired, revoked, or its lead deactivated) gets <see cref="LinkPages.NotValid"/>.
/// </summary>
public sealed class OpenDashboard(DashboardLinks links, ReportReader reports, SlaStore sla, MashDecisions decisions, StrategyReports strategy,
    FrontDoor.FrontDoorReviews frontDoor, TimeProvider time)
{
    [Function(nameof(OpenDashboard))]
    [RequiresLink(LinkKind.Dashboard)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return LinkPages.NotValid(request.HttpContext, LinkKind.Dashboard);
        var scope = new Scope(lead.LaCodes ?? [], null);
        var (from, to) = reports.Range(new Hosting.QueryParameters(new QueryCollection())); // the reports' default: the last 13 weeks
        var byType = await reports.TimelinessAsync(scope, new ReportQuery(from, to, ReportDimensions.RecipientType, ReportDimensions.Week), ct);
        var totals = await reports.TimelinessAsync(scope, new ReportQuery(from, to, null, ReportDimensions.Week), ct);
        var late = await ListLateShares.ReadAsync(sla, scope, time.GetUtcNow(), ct);
        var decided = await decisions.ReportAsync(scope, from, to, ct);
        var discussions = await strategy.ReportAsync(scope, from, to, ct);
        var held = await frontDoor.ReportAsync(scope, from, to, ct);
        var view = new DashboardPage.View(token, lead.Name, lead.LaCodes ?? [], byType, totals, late.Count, decided, discussions, held);
        return Page.Result(request.HttpContext, DashboardPage.Render(view));
    }
}
