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
/// <c>POST /api/notifications/{id}/withhold</c> (recipient: the relay a front-door review was sent to): withholds the held
/// share — <c>{"withheldBy":{"name","role"},"reason","newSchoolUrn"}</c>, <c>reason</c> one of <see cref="WithholdReasons.All"/>.
/// The share is never sent and counts as withheld (not late, not missing). With <c>child-moved-school</c> and the new school's
/// URN the share goes to that school instead, at once. 201 once stored; a share already released or withheld is 409; an
/// unknown URN is 422 naming it; any other notification is 404.
/// </summary>
public sealed class WithholdNotification(RecipientNotifications notifications, FrontDoorReviews reviews, AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;

    public sealed record Answer(string ReviewId, string ShareId, string State, string Reason, DateTimeOffset At, bool ByDue, string? ReroutedTo)
    {
        /// <summary>The answer to a withholding as stored (the API's, and the review page's to a client).</summary>
        public static Answer Of(string reviewId, ReviewOutcome stored) => stored.Share!.Hold is var hold && hold is not null
            ? new(reviewId, stored.Share.NotificationId, hold.State, hold.Reason ?? "", hold.At!.Value, hold.OnTime == true, stored.ReroutedTo)
            : throw new InvalidOperationException("A withholding answered before it was stored.");
    }

    [Function(nameof(WithholdNotification))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/withhold")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await notifications.FindAsync(id, caller.OrganisationId, null, ct) is not { Record.Kind: DeliveryKinds.RelayReview } found)
            return Problems.NotFound($"You have no front-door review with id {id}.");
        var (share, refusal) = FrontDoorReviews.HeldShare(found);
        if (share is null) return Problems.NotFound($"The share review {id} is about is not on record.");
        if (refusal is not null) return Problems.Conflict($"This share cannot be withheld: {refusal}.");
        var (input, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, FrontDoorInput.ValidateWithhold, ct);
        if (problem is not null) return problem;

        var outcome = await reviews.WithholdAsync(found.Record, input!, ct);
        if (outcome.UnknownSchool) return Problems.Invalid("newSchoolUrn", outcome.Refused!);
        if (outcome.Refused is not null) return Problems.Conflict($"This share cannot be withheld: {outcome.Refused}.");
        await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.ShareWithheld, [found.Record.IncidentId, found.Record.NotificationId, share.NotificationId],
            new { reason = input!.Reason, reroutedTo = outcome.ReroutedTo, role = input.By.Role });
        return TypedResults.Created($"/api/notifications/{found.Record.NotificationId}", Answer.Of(found.Record.NotificationId, outcome));
    }
}
