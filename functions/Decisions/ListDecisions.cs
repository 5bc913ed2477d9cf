using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain.Decisions;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/notifications/{id}/decisions</c> (recipient: the MASH the notification is addressed to): every version of the
/// MASH's decision about the incident, newest first, with <c>latest</c> the one that stands (null before any is recorded).
/// </summary>
public sealed class ListDecisions(MashDecisions decisions)
{
    public sealed record Answer(string IncidentId, DecisionView? Latest, IReadOnlyList<DecisionView> Versions);

    [Function(nameof(ListDecisions))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications/{id}/decisions")] HttpRequest request, string id)
    {
        var caller = request.HttpContext.Caller();
        if (await decisions.FindAsync(id, caller.OrganisationId, request.HttpContext.RequestAborted) is not { } mash)
            return Problems.NotFound($"You have no MASH notification with id {id}.");
        return TypedResults.Ok(Of(mash.Ledger.IncidentId, mash.Ledger.Decisions));
    }

    /// <summary>An incident's decisions as the API answers them (also for the submitting force).</summary>
    public static Answer Of(string incidentId, IReadOnlyList<MashDecision> stored)
    {
        var latest = stored.Count == 0 ? 0 : stored.Max(d => d.Version);
        var versions = stored.OrderByDescending(d => d.Version).Select(d => DecisionView.Of(incidentId, d, latest)).ToList();
        return new Answer(incidentId, versions.FirstOrDefault(), versions);
    }
}
