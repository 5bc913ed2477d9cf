using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/notifications/{id}</c> (recipient): one of the caller's notifications — its receipt and its
/// projection of the incident. The first fetch by the recipient's own system (its API key) is proof of delivery: a
/// notification not yet delivered becomes delivered (how an inbox recipient's notifications are delivered). Another
/// organisation's notification is a 404, never its content. Every read is in the audit trail.
/// </summary>
public sealed class GetNotification(RecipientNotifications notifications, AuditTrail audit)
{
    [Function(nameof(GetNotification))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications/{id}")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var found = await notifications.FindAsync(id, caller.OrganisationId, null, ct);
        if (found is null) return Problems.NotFound($"You have no notification with id {id}.");
        var read = await notifications.RetrievedAsync(found, ct) ?? found;
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.NotificationRead, [read.Record.NotificationId], new { channel = "api" }, ct);
        return TypedResults.Ok(RecipientNotifications.View(read));
    }
}
