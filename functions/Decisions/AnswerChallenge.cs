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
/// <c>POST /api/notifications/{id}/response</c> (recipient: the MASH a challenge was sent to, through the challenge's
/// notification): answers it — <c>{"response":"upheld"|"not-upheld","reasons","newVersion","respondedBy":{"name","role"}}</c>.
/// An upheld challenge names the decision version recorded since, which has been shared like any version. The response
/// goes to the challenger and every organisation the challenged version was shared with, each with its own receipt and
/// due time. 201 once stored; a challenge already answered is 409; any other notification is 404.
/// </summary>
public sealed class AnswerChallenge(RecipientNotifications notifications, MashDecisions decisions, AuditTrail audit)
{
    private const int MaxBodyBytes = 16 * 1024;

    public sealed record Answer(string ChallengeId, int Challenge, string Response, int? NewVersion, int SentTo, DateTimeOffset AnsweredAt, bool ByDue);

    [Function(nameof(AnswerChallenge))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/response")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await notifications.FindAsync(id, caller.OrganisationId, null, ct) is not { Record.Kind: DeliveryKinds.Challenge } found)
            return Problems.NotFound($"You have no challenge with id {id}.");
        if (found.Record.Receipt.Acknowledged is { } done) return Problems.Conflict($"This challenge was answered on {done.At:O}; an answer is not changed.");
        var (_, version, _) = FollowUps.ChallengeOf(found.Record) ?? ("", 0, null);
        var latest = await decisions.LatestVersionAsync(found.Record.IncidentId, ct);
        var (answer, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, body => ChallengeInput.ValidateAnswer(body, version, latest), ct);
        if (problem is not null) return problem;

        var (saved, answered, sentTo) = await decisions.AnswerAsync(found.Record, answer!, ct);
        if (!answered) return Problems.Conflict("This challenge has been answered already; an answer is not changed.");
        var number = DeliveryKey.NumberOf(saved.RecipientId) ?? 0;
        await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.ChallengeAnswered, [saved.IncidentId, saved.NotificationId],
            new { challenge = number, response = answer!.Response, newVersion = answer.NewVersion, sentTo });
        var at = saved.Receipt.Acknowledged!.At;
        return TypedResults.Created($"/api/notifications/{saved.NotificationId}",
            new Answer(saved.NotificationId, number, answer.Response, answer.NewVersion, sentTo, at, saved.DueAt is not { } due || at <= due));
    }
}
