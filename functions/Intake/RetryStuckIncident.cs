using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/incidents/{force}/{reference}/retry</c> (admin, no body): once the cause is fixed, puts a
/// stuck incident back to routing, with a fresh allowance of re-queues. 202; 404 when there is no such incident;
/// 409 when it is not stuck.
/// </summary>
public sealed class RetryStuckIncident(IncidentStore incidents, AuditTrail audit)
{
    public sealed record Retried(string ForceCode, string IncidentReference, string Status);

    [Function(nameof(RetryStuckIncident))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/incidents/{force}/{reference}/retry")] HttpRequest request, string force, string reference)
    {
        var ct = request.HttpContext.RequestAborted;
        var status = await incidents.GetStatusAsync(force, reference, ct);
        if (status is null) return Problems.NotFound($"Force {force} has no incident with reference {reference}.");
        if (status.Status != IncidentStatuses.Stuck || !await incidents.RetryAsync(force, reference, ct))
            return Problems.Conflict($"Incident {reference} of force {force} is {status.Status}, not stuck: there is nothing to retry.");
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.IncidentRetried, [status.IncidentId], new { forceCode = force }, ct);
        return TypedResults.Accepted($"/api/incidents/{Uri.EscapeDataString(force)}/{Uri.EscapeDataString(reference)}",
            new Retried(force, reference, IncidentStatuses.Queued));
    }
}
