using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/ack</c> (recipient): a person at the recipient confirms they have read it —
/// <c>{"acknowledgedBy":{"name":"…","role":"…"}}</c>. Works whatever channel delivered it; an acknowledgement
/// before delivery was recorded implies delivery. 201 the first time; 200 with the first acknowledgement, unchanged,
/// when it was already acknowledged. Once the answer says so, the acknowledgement is stored.
/// </summary>
public sealed class AcknowledgeNotification(RecipientNotifications notifications, AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;

    public sealed record Answer(string NotificationId, string Status, DateTimeOffset? DeliveredAt, AcknowledgementView Acknowledged, bool AlreadyAcknowledged);

    [Function(nameof(AcknowledgeNotification))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/ack")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var found = await notifications.FindAsync(id, caller.OrganisationId, null, ct);
        if (found is null) return Problems.NotFound($"You have no notification with id {id}.");
        if (KindWording.NotAcknowledgeable(found.Record.Kind, found.Record.NotificationId) is { } why) return Problems.Conflict(why);
        var (by, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, AcknowledgementInput.Validate, ct);
        if (problem is not null) return problem;

        var acknowledged = await notifications.AcknowledgeAsync(found, by!, "api", ct);
        if (acknowledged is null) return Problems.NotFound($"You have no notification with id {id}.");
        var (saved, first) = (acknowledged.Record, acknowledged.Changed);
        if (first) await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.NotificationAcknowledged, [saved.NotificationId], new { channel = "api" });
        var answer = new Answer(saved.NotificationId, saved.Receipt.Status, saved.Receipt.DeliveredAt, AcknowledgementView.Of(saved.Receipt.Acknowledged)!, !first);
        return first ? TypedResults.Created($"/api/notifications/{saved.NotificationId}", answer) : TypedResults.Ok(answer);
    }
}
