using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Delivery;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/challenge</c> (recipient: an organisation a MASH's decision was shared with, through
/// that notification): challenges the decision version it carried — <c>{"reason","asks"}</c>. The challenge goes to the
/// MASH with its response due in two working days (<c>Timeliness:ChallengeResponseDue</c>); unanswered by then, it is late
/// and escalates to the partnership lead (stage 2). 201 with the challenge; raising it again while it is open answers the
/// open one (200). Only a decision's own recipient may challenge it: any other notification is 404.
/// </summary>
public sealed class ChallengeDecision(RecipientNotifications notifications, MashDecisions decisions, AuditTrail audit)
{
    private const int MaxBodyBytes = 16 * 1024;

    public sealed record Answer(string ChallengeId, int Challenge, int Version, string ChallengedBy, string Mash, DateTimeOffset? DueAt, string Status,
        bool AlreadyRaised);

    [Function(nameof(ChallengeDecision))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/challenge")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await notifications.FindAsync(id, caller.OrganisationId, null, ct) is not { Record.Kind: DeliveryKinds.Decision } found)
            return Problems.NotFound($"You have no decision notification with id {id}: a decision is challenged through the notification that shared it.");
        var (challenge, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, ChallengeInput.Validate, ct);
        if (problem is not null) return problem;

        if (await decisions.ChallengeAsync(found.Record, challenge!, ct) is not { } result)
            return Problems.Conflict("The MASH that made this decision no longer has the incident; the challenge cannot be sent.");
        var (raised, created) = result;
        var number = DeliveryKey.NumberOf(raised.RecipientId) ?? 0;
        var version = DeliveryKey.NumberOf(found.Record.RecipientId) ?? 0;
        if (created)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.ChallengeRaised, [raised.IncidentId, raised.NotificationId],
                new { challenge = number, version });
        }
        var answer = new Answer(raised.NotificationId, number, version, found.Record.OrganisationId, raised.OrganisationId, raised.DueAt, raised.Receipt.Status,
            !created);
        // The challenge itself is the MASH's notification: the challenger follows it through the decision it challenged.
        return created ? TypedResults.Created($"/api/notifications/{found.Record.NotificationId}", answer) : TypedResults.Ok(answer);
    }
}
