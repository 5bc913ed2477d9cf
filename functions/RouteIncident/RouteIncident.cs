using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Routing;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Routing;
using NotifyHub.Storage;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>incidents</c>: decides who receives an incident and records it — one delivery per
/// recipient (with its projected content and the children's cumulative-risk count), the shares that
/// could not be routed and why — then queues one message per delivery and marks the incident routed.
/// Safe to run twice on the same message; any storage failure throws, so the host retries and
/// finally poisons the message.
/// </summary>
public sealed class RouteIncident(
    IncidentStore incidents, DirectoryStore directory, ChildHistoryStore history, DeliveryStore deliveries,
    IOptions<RoutingOptions> options, ILogger<RouteIncident> logger)
{
    [Function(nameof(RouteIncident))]
    public async Task RunAsync([QueueTrigger(StorageNames.IncidentsQueue)] string message, long dequeueCount, CancellationToken ct)
    {
        var queued = Read(message);
        if (queued is null)
        {
            RoutingLog.Unreadable(logger, dequeueCount);
            return; // can never succeed: discarded, and logged as such
        }
        var stored = await incidents.LoadAsync(queued.ForceCode, queued.IncidentReference, ct);
        if (stored is null || stored.IncidentId != queued.IncidentId)
        {
            RoutingLog.UnknownIncident(logger, queued.IncidentId, queued.ForceCode);
            return;
        }
        if (stored.IsRouted)
        {
            RoutingLog.AlreadyRouted(logger, stored.IncidentId);
            return;
        }

        var incident = stored.Incident;
        var snapshot = await directory.LoadAsync(RoutingLookups.KeysFor(incident), ct);
        var decision = Router.Route(incident, snapshot);
        var prior = await history.RecordAndCountAsync(stored.IncidentId, incident, options.Value.ChildIdentityKeyBytes, ct);
        var planned = decision.Deliveries
            .Select(d => (d, Projection.Build(incident, d, prior)))
            .ToList();

        await deliveries.WriteAsync(stored.IncidentId, decision, planned, ct);
        await deliveries.EnqueueAsync(stored.IncidentId, decision.Deliveries, ct);
        await incidents.MarkRoutedAsync(incident.ForceCode, incident.IncidentReference, decision.Deliveries.Count, decision.Unrouted.Count, ct);
        RoutingLog.Routed(logger, stored.IncidentId, decision.Deliveries.Count, decision.Unrouted.Count);
    }

    private static IncidentQueued? Read(string text)
    {
        try
        {
            var queued = JsonSerializer.Deserialize<IncidentQueued>(text, QueueJson.Options);
            return queued is { IncidentId.Length: > 0, ForceCode.Length: > 0, IncidentReference.Length: > 0 } ? queued : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
