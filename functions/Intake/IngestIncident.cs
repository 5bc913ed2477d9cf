using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Domain.Incidents;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Telemetry;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/incidents</c>: a police force submits an incident. Validated completely, stored
/// before it is acknowledged, queued for routing, idempotent on (force, incident reference).
/// </summary>
public sealed class IngestIncident(IncidentStore store, IOptions<IngestOptions> options, HubMetrics metrics, TimeProvider time, ILogger<IngestIncident> logger)
{
    public sealed record Accepted(string IncidentId, string Status, string StatusUrl);

    [Function(nameof(IngestIncident))]
    [RequiresRole(Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/incidents")] HttpRequest request)
    {
        var caller = request.HttpContext.Caller();
        var ct = request.HttpContext.RequestAborted;

        var (incident, problem) = await JsonBody.ReadValidatedAsync(request, options.Value.MaxBodyBytes,
            body => IncidentValidator.Validate(body, time.GetUtcNow(), options.Value.Rules), ct);
        if (problem is not null)
        {
            IncidentsLog.Refused(logger, caller.ForceCode);
            return problem;
        }
        if (incident!.ForceCode != caller.ForceCode)
        {
            return Problems.ForbiddenField("forceCode", $"is {incident.ForceCode}, but this API key submits incidents for force {caller.ForceCode} only");
        }

        var outcome = await store.StoreAsync(incident, caller.KeyId, ct);
        switch (outcome.Result)
        {
            case StoreResult.Conflict:
                IncidentsLog.ReferenceConflict(logger, outcome.IncidentId, incident.ForceCode);
                return Problems.Conflict(
                    $"Incident reference {incident.IncidentReference} was already submitted with different content (incident {outcome.IncidentId}). " +
                    "Amendments are not accepted on this endpoint; a retry must send exactly the same incident.");
            case StoreResult.Duplicate:
                IncidentsLog.Duplicate(logger, outcome.IncidentId, incident.ForceCode);
                break;
            default:
                IncidentsLog.Accepted(logger, outcome.IncidentId, incident.ForceCode, incident.RiskLevel.ToString(), incident.Children.Count);
                metrics.IncidentAccepted(incident.ForceCode);
                try
                {
                    await store.EnqueueAsync(new IncidentQueued(outcome.IncidentId, incident.ForceCode, incident.IncidentReference), ct);
                }
                catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException)
                {
                    // Stored is safe: its pending row stays, and ReconcileIncidents queues it.
                    IncidentsLog.EnqueueFailed(logger, e, outcome.IncidentId);
                }
                break;
        }

        // The status the status API reports: a new incident is queued; an identical retry gets the incident's status now.
        var status = outcome.Result == StoreResult.Duplicate
            ? (await store.GetStatusAsync(incident.ForceCode, incident.IncidentReference, ct))?.Status ?? IncidentStatuses.Queued
            : IncidentStatuses.Queued;
        var statusUrl = $"/api/incidents/{Uri.EscapeDataString(incident.ForceCode)}/{Uri.EscapeDataString(incident.IncidentReference)}";
        return TypedResults.Accepted(statusUrl, new Accepted(outcome.IncidentId, status, statusUrl));
    }
}
