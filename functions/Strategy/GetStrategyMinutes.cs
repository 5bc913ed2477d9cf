using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/notifications/{id}/minutes</c> (the chair, or an invitee, through its notification of the discussion): the
/// minutes as they were shared — the PDF (<c>application/pdf</c>) or the text (<c>text/plain</c>). Every read is audited.
/// Not shared yet, or purged, 404.
/// </summary>
public sealed class GetStrategyMinutes(StrategyDiscussions discussions, AuditTrail audit)
{
    [Function(nameof(GetStrategyMinutes))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications/{id}/minutes")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { } found || !(found.AsChair || found.Discussion.IsInvited(caller.OrganisationId)))
            return Problems.NotFound($"You have no strategy discussion through notification {id}.");
        var minutes = found.Discussion.Minutes;
        if (minutes is null) return Problems.NotFound("The minutes of this strategy discussion have not been shared.");
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (minutes.Blob is not null)
        {
            if (await discussions.MinutesPdfAsync(found.Discussion, ct) is not { } pdf) return Problems.NotFound("The minutes have been removed under the retention policy.");
            await audit.RecordAsync(AuditActor.Of(caller), AuditActions.StrategyRead, [found.Ledger.IncidentId, id], new { discussion = found.Discussion.Number, minutes = "pdf" }, ct);
            return TypedResults.Stream(pdf, "application/pdf");
        }
        if (minutes.Text is null) return Problems.NotFound("The minutes have been removed under the retention policy.");
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.StrategyRead, [found.Ledger.IncidentId, id], new { discussion = found.Discussion.Number, minutes = "text" }, ct);
        return TypedResults.Text(minutes.Text, "text/plain; charset=utf-8");
    }
}
