using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Hosting;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/incidents/{force}/{reference}/decisions</c> (police: the submitting force only): the MASH's decisions about
/// the force's incident, every version, newest first — what came of what the force shared.
/// </summary>
public sealed class GetIncidentDecisions(IncidentStore incidents, MashDecisions decisions)
{
    [Function(nameof(GetIncidentDecisions))]
    [RequiresRole(Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/incidents/{force}/{reference}/decisions")] HttpRequest request,
        string force, string reference)
    {
        if (NotifyHub.Domain.Incidents.IncidentValidator.PathErrors(force, reference) is { Any: true } bad) return Problems.Invalid(bad);
        var caller = request.HttpContext.Caller();
        if (!string.Equals(force, caller.ForceCode, StringComparison.Ordinal))
            return Problems.OtherForce(force, caller.ForceCode);
        var ct = request.HttpContext.RequestAborted;
        if (await incidents.GetStatusAsync(force, reference, ct) is not { } status) return Problems.NotFound($"Force {force} has no incident with reference {reference}.");
        return TypedResults.Ok(ListDecisions.Of(status.IncidentId, await decisions.ForIncidentAsync(status.IncidentId, ct)));
    }
}
