using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Reports;
using NotifyHub.Timeliness;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/dashboard/{token}/late</c> (a dashboard link): the shares in the lead's LAs that are late and not yet
/// acknowledged — the answer of <c>GET /api/reports/late</c> as a page, for a lead without an API key in the browser. The
/// partnership's escalation alert links here; so does the dashboard. References, recipients and times; never a child.
/// </summary>
public sealed class OpenLateShares(DashboardLinks links, SlaStore sla, TimeProvider time)
{
    [Function(nameof(OpenLateShares))]
    [RequiresLink(LinkKind.Dashboard)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dashboard/{token}/late")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await links.LeadAsync(request.HttpContext, ct) is not { } lead) return LinkPages.NotValid(request.HttpContext, LinkKind.Dashboard);
        var now = time.GetUtcNow();
        var items = await ListLateShares.ReadAsync(sla, new Scope(lead.LaCodes ?? [], null), now, ct);
        return Page.Result(request.HttpContext, LateSharesPage.Render(new LateSharesPage.View(token, lead.Name, lead.LaCodes ?? [], items, now)));
    }
}
