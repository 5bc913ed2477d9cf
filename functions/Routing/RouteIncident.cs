using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Routing;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>incidents</c>: decides who receives an incident and records it on the incident's ledger — one delivery
/// per recipient (with its projected content, due time and the children's cumulative-risk count), the shares that could
/// not be routed and why — whose apply writes the views and queues the first attempts; then marks the incident routed.
/// A share whose recipient type the incident's LA tells through its front door (<see cref="AreaPathStore"/>) is held, and
/// its review sent to the relay instead (docs/routing.md, "Paths through the LA front door").
/// <para>
/// It first claims the incident (ETag-conditional, with the decision recorded on it), so two messages for
/// one incident never route it at once. A retried routing reuses the recorded decision: every delivery it
/// names is recorded if missing, and a ledger whose views lag is caught up (its messages sent), so a retry converges on
/// one decision whatever changed in the directory meanwhile. Any storage failure throws, so the host retries and finally poisons the
/// message; the incident's pending row stays, and <c>ReconcileIncidents</c> takes it from there.
/// </para>
/// </summary>
public sealed class RouteIncident(
    IncidentStore incidents, DirectoryStore directory, ChildHistoryStore history, IncidentDeliveries deliveries, DueTimeCalculator dueTimes,
    RepeatChildrenStore repeatChildren, AreaPathStore areaPaths,
    IOptions<RoutingOptions> options, HubMetrics metrics, TimeProvider time, ILogger<RouteIncident> logger)
{
    [Function(nameof(RouteIncident))]
    public async Task RunAsync([QueueTrigger(StorageNames.IncidentsQueue)] string message, long dequeueCount, CancellationToken ct)
    {
        var queued = Read(message);
        if (queued is null)
        {
            RoutingLog.Unreadable(logger, dequeueCount);
            metrics.Poisoned(nameof(RouteIncident), "unreadable");
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
        if (stored.ClaimedUntil is { } until && until > time.GetUtcNow())
        {
            // Another attempt is routing it now; if that attempt dies, the claim lapses and reconciliation re-queues it.
            RoutingLog.ClaimedElsewhere(logger, stored.IncidentId, until);
            return;
        }

        var incident = stored.Incident!; // only a routed incident's personal data is ever purged
        var decision = stored.Decision is { } recorded
            ? RoutingDecisionJson.Deserialize(recorded)
            : await WithPathsAsync(Router.Route(incident, await directory.LoadAsync(RoutingLookups.KeysFor(incident), ct)), incident.Location.LaCode, ct);
        var claim = await incidents.ClaimAsync(stored, time.GetUtcNow() + options.Value.ClaimFor, RoutingDecisionJson.Serialize(decision), ct);
        if (claim is not { } etag)
        {
            RoutingLog.ClaimLost(logger, stored.IncidentId);
            return;
        }

        bool routed;
        try
        {
            var children = await history.RecordAsync(stored.IncidentId, incident, options.Value.ChildIdentityKeyBytes, ct);
            var prior = children.Select(c => c.PriorLast12Months).ToArray();
            await repeatChildren.RecordAsync(incident.Location.LaCode, stored.IncidentId, incident.ForceCode, incident.IncidentReference, incident.OccurredAt,
                children, ct);
            var risk = incident.RiskLevel.ToString().ToLowerInvariant();
            var planned = new List<PlannedWrite>();
            foreach (var d in decision.Deliveries)
            {
                var due = await dueTimes.ForAsync(d.Recipient, d.RecipientType, risk, incident.ReportedAt, ct);
                var relayed = decision.HopOf(d.Recipient.Id) is { } hop
                    ? new RelayedWrite(hop.Hop, hop.Number, Projection.ForRelay(incident, hop.Hop.ViaType, prior))
                    : null;
                planned.Add(new PlannedWrite(d, Projection.Build(incident, d, prior), due, relayed));
            }
            var facts = new IncidentFacts(incident.ForceCode, incident.IncidentReference, incident.Location.LaCode, risk, incident.ReportedAt,
                incident.OccurredAt, incident.AttendedAt, stored.ReceivedAt);
            // Recorded on the incident's ledger; applying it writes the views and sends the first attempts' message.
            await deliveries.RecordAsync(stored.IncidentId, decision, planned, facts, firstAttempt: stored.Decision is null, ct);
            routed = await incidents.MarkRoutedAsync(stored, etag, decision.Deliveries.Count, decision.Unrouted.Count, ct);
        }
        catch
        {
            // The host retries this message: let the retry claim the incident now rather than when this claim lapses.
            await incidents.ReleaseClaimAsync(stored, etag);
            throw;
        }
        if (!routed)
        {
            RoutingLog.ClaimLost(logger, stored.IncidentId);
            return;
        }
        RoutingLog.Routed(logger, stored.IncidentId, decision.Deliveries.Count, decision.Unrouted.Count);
        metrics.IncidentRouted(stored.ForceCode, decision.Unrouted.Count);
    }

    /// <summary>The decision with the shares the LA sends through its front door (its paths as they stand, and the relays active now).</summary>
    private async Task<RoutingDecision> WithPathsAsync(RoutingDecision decision, string la, CancellationToken ct)
    {
        var paths = await areaPaths.ForLaAsync(la, ct);
        if (paths.Count == 0) return decision;
        var relays = new Dictionary<string, Organisation>(StringComparer.Ordinal);
        foreach (var via in paths.Select(p => p.Via).Distinct(StringComparer.Ordinal))
        {
            if (await directory.GetAsync(via, ct) is { } relay) relays[via] = relay;
        }
        var hops = AreaPaths.Hops(decision.Deliveries.Select(d => (d.Recipient.Id, d.RecipientType)), la, paths, relays);
        return hops.Count == 0 ? decision : decision with { Hops = hops };
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
