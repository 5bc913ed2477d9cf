using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Strategy;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/answer</c> (an invitee, through its invitation): <c>{"answer":"attending"|"sending-information"|"cannot-attend","by":{"name","role"}}</c>.
/// The answer acknowledges the invitation; the first stands (200 with it, <c>alreadyAnswered</c>). Once the discussion is
/// held, 409. Anyone else's, or not an invitation, 404.
/// </summary>
public sealed class AnswerInvitation(StrategyDiscussions discussions, AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;


    [Function(nameof(AnswerInvitation))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/answer")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { Notification.Kind: DeliveryKinds.Invitation } found)
            return Problems.NotFound($"You have no invitation with id {id}.");
        if (found.Discussion.Held is not null) return Problems.Conflict("The strategy discussion has been held.");
        var (answer, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, StrategyInput.Answer, ct);
        if (problem is not null) return problem;
        var committed = await discussions.AnswerAsync(found, answer!.Answer, answer.By, ct);
        var saved = committed.After.Delivery(found.Notification.RecipientId)!;
        var first = committed.Events.Count > 0;
        if (first)
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyAnswered, [committed.After.IncidentId, id], new { answer = saved.Answer });
        var at = saved.Receipt.Acknowledged!.At;
        var body = new { invitationId = saved.NotificationId, discussion = found.Discussion.Number, answer = saved.Answer, answeredAt = at,
            byDue = saved.DueAt is not { } due || at <= due, alreadyAnswered = !first };
        return first ? TypedResults.Created($"/api/notifications/{id}/strategy", body) : TypedResults.Ok(body);
    }
}
