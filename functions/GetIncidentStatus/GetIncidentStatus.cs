using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Routing;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/incidents/{force}/{reference}</c>: a force sees its own incident's status — who it was
/// routed to and why, and which shares could not be routed and why — and only its own incidents.
/// </summary>
public static class GetIncidentStatus
{
    public sealed record Answer(
        string IncidentId, string ForceCode, string IncidentReference, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? RoutedAt,
        string RiskLevel, int ChildCount, IReadOnlyList<DeliverySummary> Deliveries, IReadOnlyList<UnroutedSummary> Unrouted);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/incidents/{force}/{reference}", HandleAsync).RequireAuthorization(Roles.Police).AsFunction(nameof(GetIncidentStatus));

    private static async Task<IResult> HandleAsync(string force, string reference, HttpContext context, IncidentStore incidents, DeliveryStore deliveries)
    {
        var caller = context.Caller();
        if (!string.Equals(force, caller.ForceCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden($"This API key belongs to force {caller.ForceCode} and can only read its incidents.");
        }
        var ct = context.RequestAborted;
        var status = await incidents.GetStatusAsync(force, reference, ct);
        if (status is null) return Problems.NotFound($"Force {force} has no incident with reference {reference}.");

        var routed = deliveries.ForIncidentAsync(status.IncidentId, ct);
        var unrouted = deliveries.UnroutedForIncidentAsync(status.IncidentId, ct);
        return TypedResults.Ok(new Answer(status.IncidentId, status.ForceCode, status.IncidentReference, status.Status, status.ReceivedAt,
            status.RoutedAt, status.RiskLevel, status.ChildCount, await routed, await unrouted));
    }
}
