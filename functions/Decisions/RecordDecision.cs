using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain.Decisions;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/decisions</c> (recipient: the MASH the notification is addressed to): the MASH records
/// its decision about the incident — <c>{"outcome","children","decidedAt","joint","jointWith","rationale","nextSteps"}</c>
/// (docs/decisions.md). Each call is a new version; every version is kept and the latest stands. 201 with the decision
/// once it is stored; problem+json naming each bad field; another organisation's notification, or one that is not a
/// MASH's, is 404.
/// </summary>
public sealed class RecordDecision(MashDecisions decisions, AuditTrail audit)
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
        var (decision, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, body => decisions.Validate(mash, body), ct);
        if (problem is not null) return problem;
        if (await decisions.RefusalsAsync(mash, decision!, ct) is { Any: true } errors) return Problems.Invalid(errors);

        var (recorded, created, shared) = await decisions.RecordAsync(mash, decision!, caller.KeyId, ct);
        var incidentId = mash.Ledger.IncidentId;
        if (created)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.DecisionRecorded, [incidentId, recorded.DecisionId],
                MashDecisions.AuditDetails(recorded, shared));
        }
        return TypedResults.Created($"/api/notifications/{id}/decisions", DecisionView.Of(incidentId, recorded, recorded.Version));
    }
}
