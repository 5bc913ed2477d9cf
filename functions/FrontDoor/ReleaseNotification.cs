using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.FrontDoor;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/release</c> (recipient: the relay a front-door review was sent to, through the review's
/// notification): releases the held share to its recipient — <c>{"releasedBy":{"name","role"},"note","remove":[field…]}</c>;
/// <c>note</c> (at most 2,000 characters) is shown to the recipient, <c>remove</c> takes fields out of what the recipient is
/// sent (those the review's <c>recipientFields</c> lists, but the incident's force, reference and time). The share's first
/// attempt follows at once. 201 once stored; a share already released or withheld is 409; any other notification is 404.
/// </summary>
public sealed class ReleaseNotification(RecipientNotifications notifications, FrontDoorReviews reviews, AuditTrail audit)
{
    private const int MaxBodyBytes = 16 * 1024;

    public sealed record Answer(string ReviewId, string ShareId, string State, DateTimeOffset At, bool ByDue, int FieldsRemoved, bool Noted)
    {
        /// <summary>The answer to a release as stored (the API's, and the review page's to a client).</summary>
        public static Answer Of(string reviewId, ReviewOutcome stored, ReleaseInput input) => stored.Share!.Hold is var hold && hold is not null
            ? new(reviewId, stored.Share.NotificationId, hold.State, hold.At!.Value, hold.OnTime == true, input.Remove.Count, input.Note is not null)
            : throw new InvalidOperationException("A release answered before it was stored.");
    }

    [Function(nameof(ReleaseNotification))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/release")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await notifications.FindAsync(id, caller.OrganisationId, null, ct) is not { Record.Kind: DeliveryKinds.RelayReview } found)
            return Problems.NotFound($"You have no front-door review with id {id}.");
        var (share, refusal) = FrontDoorReviews.HeldShare(found);
        if (share is null) return Problems.NotFound($"The share review {id} is about is not on record.");
        if (refusal is not null) return Problems.Conflict($"This share cannot be released: {refusal}.");
        var (input, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, body => FrontDoorInput.ValidateRelease(body, share.RecipientType), ct);
        if (problem is not null) return problem;

        var outcome = await reviews.ReleaseAsync(found.Record, input!, ct);
        if (outcome.Refused is not null) return Problems.Conflict($"This share cannot be released: {outcome.Refused}.");
        await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.ShareReleased, [found.Record.IncidentId, found.Record.NotificationId, share.NotificationId],
            new { removed = input!.Remove.Count, noted = input.Note is not null, role = input.By.Role });
        return TypedResults.Created($"/api/notifications/{found.Record.NotificationId}", Answer.Of(found.Record.NotificationId, outcome, input));
    }
}
