using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Ledger;

namespace NotifyHub.Timeliness;

/// <summary>
/// The rollups as a projection of the ledger: each delivery's fact (<see cref="ShareFacts.OfDelivery"/>) and each unrouted
/// share's (incidents' shares only: a decision's follow-ups have the decision report), tagged with the ledger version they were taken at. Only facts that say something new are written: one cell
/// (read and conditional write) per incident, since an incident's shares share a cell.
/// </summary>
public sealed class RollupView(RollupStore rollups)
{
    public async Task ApplyAsync(IncidentLedger ledger, IReadOnlyList<DeliveryChange> changes, bool withUnrouted, CancellationToken ct)
    {
        if (ledger.Facts is not { } incident) return; // routed before timeliness was recorded
        var facts = new List<ShareFact>();
        foreach (var change in changes)
        {
            // The rollups measure incidents' shares; a decision's follow-ups are measured by the decision report.
            if (change.After.Kind != Domain.Delivery.DeliveryKinds.Incident) continue;
            var after = ShareFacts.OfDelivery(change.After, incident, ledger.Version);
            if (change.BeforeKnown && change.Before is { } before && ShareFacts.SameFacts(ShareFacts.OfDelivery(before, incident, 0), after)) continue;
            facts.Add(after);
        }
        if (withUnrouted) facts.AddRange(ledger.Unrouted.Select(s => ShareFacts.OfUnrouted(ledger.IncidentId, s, incident, ledger.Version)));
        if (facts.Count > 0) await rollups.RecordAsync(facts, ct);
    }

    /// <summary>Whether the events include routing's unrouted shares (their facts are written when routing is applied).</summary>
    public static bool Unrouted(IEnumerable<StoredEvent> events) => events.Any(e => e.Event.Type == LedgerEventTypes.ShareUnrouted);
}
