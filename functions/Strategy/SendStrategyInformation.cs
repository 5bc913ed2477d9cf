using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Strategy;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/information</c> (an invitee, through its invitation): <c>{"text"}</c> (at most 4,000
/// characters) — what it knows, for the discussion, before it is held. Only the chair and the invitees read it. 201.
/// </summary>
public sealed class SendStrategyInformation(StrategyDiscussions discussions, AuditTrail audit)
{
    private const int MaxBodyBytes = 24 * 1024;

    [Function(nameof(SendStrategyInformation))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/information")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { Notification.Kind: DeliveryKinds.Invitation } found)
            return Problems.NotFound($"You have no invitation with id {id}.");
        if (found.Discussion.Held is not null) return Problems.Conflict("The strategy discussion has been held: information is sent before it.");
        var (text, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, StrategyInput.Information, ct);
        if (problem is not null) return problem;
        var committed = await discussions.InformAsync(found, text!, ct);
        if (committed.Events.Count == 0) return Problems.Conflict("The strategy discussion no longer takes information from you.");
        await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyInformationSent, [committed.After.IncidentId, id], new { length = text!.Length });
        var after = committed.After.Discussions.First(d => d.Number == found.Discussion.Number);
        return TypedResults.Created($"/api/notifications/{id}/strategy",
            new { invitationId = id, discussion = after.Number, sent = after.Contributions.Count(c => c.OrganisationId == caller.OrganisationId) });
    }
}
