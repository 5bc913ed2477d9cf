using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/notifications/{id}/strategy</c> (the chair, or an invitee still on the list, through its notification of the
/// discussion): when and how it meets, who is invited and why, each one's answer, the information invitees sent, whether it
/// was held and with whom, the actions, and the minutes. Minutes and information are the most sensitive data the hub
/// holds: only the chair and the invitees read them, and every read is audited. Anyone else, 404.
/// </summary>
public sealed class GetStrategyDiscussion(StrategyDiscussions discussions, AuditTrail audit)
{
    [Function(nameof(GetStrategyDiscussion))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications/{id}/strategy")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { } found || !(found.AsChair || found.Discussion.IsInvited(caller.OrganisationId)))
            return Problems.NotFound($"You have no strategy discussion through notification {id}.");
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.StrategyRead, [found.Ledger.IncidentId, id], new { discussion = found.Discussion.Number }, ct);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(StrategyView.Of(found.Ledger, found.Discussion));
    }
}
