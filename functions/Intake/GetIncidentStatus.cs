using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Routing;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/incidents/{force}/{reference}</c>: a force sees its own incident's status — <c>queued</c> (accepted,
/// waiting to be routed), <c>routed</c> or <c>stuck</c> (with the reason) — who it was routed to and why, and which
/// shares could not be routed and why; and only its own incidents.
/// </summary>
public sealed class GetIncidentStatus(IncidentStore incidents, IncidentDeliveries deliveries)
{
    public sealed record Answer(
        string IncidentId, string ForceCode, string IncidentReference, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? RoutedAt,
        string RiskLevel, int ChildCount, IReadOnlyList<DeliverySummary> Deliveries, IReadOnlyList<UnroutedSummary> Unrouted, string? StuckReason);

    [Function(nameof(GetIncidentStatus))]
    [RequiresRole(Roles.Police)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/incidents/{force}/{reference}")] HttpRequest request, string force, string reference)
    {
        if (NotifyHub.Domain.Incidents.IncidentValidator.PathErrors(force, reference) is { Any: true } bad) return Problems.Invalid(bad);
        var caller = request.HttpContext.Caller();
        if (!string.Equals(force, caller.ForceCode, StringComparison.Ordinal))
        {
            return Problems.OtherForce(force, caller.ForceCode);
        }
        var ct = request.HttpContext.RequestAborted;
        var status = await incidents.GetStatusAsync(force, reference, ct);
        if (status is null) return Problems.NotFound($"Force {force} has no incident with reference {reference}.");

        var (routed, unrouted) = await deliveries.ForIncidentAsync(status.IncidentId, ct);
        return TypedResults.Ok(new Answer(status.IncidentId, status.ForceCode, status.IncidentReference, status.Status, status.ReceivedAt,
            status.RoutedAt, status.RiskLevel, status.ChildCount, routed, unrouted,
            status.Status == IncidentStatuses.Stuck ? status.StuckReason : null));
    }
}
