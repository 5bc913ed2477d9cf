using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/reports/dashboard-links</c> (partnership lead): a link to the lead's own timeliness dashboard, to open in
/// a browser; it works until <c>expiresAt</c> (<c>Timeliness__DashboardLinkValidFor</c>, default 7 days). The daily digest
/// carries a fresh one every morning. <c>RevokeDashboardLinks</c> stops every link issued so far.
/// </summary>
public sealed class CreateDashboardLink(DashboardLinks links, AuditTrail audit)
{
    public sealed record Answer(string Url, DateTimeOffset ExpiresAt);

    [Function(nameof(CreateDashboardLink))]
    [RequiresRole(Roles.Partnership)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reports/dashboard-links")] HttpRequest request)
    {
        var caller = request.HttpContext.Caller();
        var (url, expires) = await links.CreateAsync(caller.OrganisationId, request.HttpContext.RequestAborted);
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.DashboardLinkCreated, [caller.OrganisationId], new { expiresAt = expires },
            request.HttpContext.RequestAborted);
        return TypedResults.Created((string?)null, new Answer(url, expires));
    }
}
