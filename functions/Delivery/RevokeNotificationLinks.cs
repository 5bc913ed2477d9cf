using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/notifications/{id}/revoke-links</c> (admin): every email link sent for this notification stops
/// working at once (e.g. an email went to the wrong person). The notification itself is unchanged and stays in the
/// recipient's inbox; an email sent later carries a new link.
/// </summary>
public sealed class RevokeNotificationLinks(RecipientNotifications notifications, AuditTrail audit)
{
    public sealed record Answer(string NotificationId, bool Revoked);

    [Function(nameof(RevokeNotificationLinks))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/notifications/{id}/revoke-links")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        if (!NotificationId.TryParse(id, out _, out var recipientId)) return Problems.NotFound($"There is no notification with id {id}.");
        var found = await notifications.FindAsync(id, DeliveryKey.OrganisationOf(recipientId), null, ct);
        if (found is null) return Problems.NotFound($"There is no notification with id {id}.");
        await notifications.RevokeLinksAsync(found, ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.NotificationLinksRevoked, [found.Record.NotificationId], null, ct);
        return TypedResults.Ok(new Answer(found.Record.NotificationId, true));
    }
}
