using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/decisions</c> (recipient: the MASH the notification is addressed to): the MASH records
/// its decision about the incident — <c>{"outcome","children","decidedAt","joint","jointWith","rationale","nextSteps"}</c>
/// (docs/decisions.md). Each call is a new version; every version is kept and the latest stands. 201 with the decision
/// once it is stored; problem+json naming each bad field; another organisation's notification, or one that is not a
/// MASH's, is 404.
/// </summary>
public sealed class RecordDecision(MashDecisions decisions, AuditTrail audit, TimeProvider time)
{
    private const int MaxBodyBytes = 32 * 1024;

    [Function(nameof(RecordDecision))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/decisions")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await decisions.FindAsync(id, caller.OrganisationId, ct) is not { } mash) return Problems.NotFound($"You have no MASH notification with id {id}.");
        var children = mash.Delivery.Children;
        var (decision, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes,
            body => DecisionInput.Validate(body, children.Count == 0 ? 0 : children.Max() + 1, mash.Delivery.CreatedAt, time.GetUtcNow()), ct);
        if (problem is not null) return problem;

        var errors = new FieldErrors();
        foreach (var i in await decisions.UnknownOwnersAsync(decision!, ct)) errors.Add($"nextSteps[{i}].owner", "is not an active organisation in the directory");
        foreach (var (child, i) in decision!.Children.Select((c, i) => (c, i)).Where(c => !children.Contains(c.c)))
            errors.Add($"children[{i}]", "is not one of the incident's children this notification lists");
        if (errors.Any) return Problems.Invalid(errors);

        var (recorded, created, shared) = await decisions.RecordAsync(mash, decision, caller.KeyId, ct);
        var incidentId = mash.Ledger.IncidentId;
        if (created)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.DecisionRecorded, [incidentId, recorded.DecisionId],
                new { version = recorded.Version, outcome = recorded.Outcome, sharedWith = shared, nextSteps = recorded.NextSteps.Count });
        }
        return TypedResults.Created($"/api/notifications/{id}/decisions", DecisionView.Of(incidentId, recorded, recorded.Version));
    }
}
