using System.Text.Json.Nodes;
using NotifyHub.Domain.Evidence;
using NotifyHub.Ledger;

namespace NotifyHub.Evidence;

/// <summary>An incident's evidence (docs/evidence.md): its events and hashes, the anchors from the first holding it to the last, and the proofs.</summary>
public sealed class IncidentEvidence(LedgerStore ledger, EvidenceAnchors anchors, TimeProvider time, ILogger<IncidentEvidence> logger)
{
    public async Task<JsonObject> ExportAsync(string incidentId, string force, string reference, CancellationToken ct)
    {
        var events = await ledger.AllEventsAsync(incidentId, ct);
        var inclusions = await anchors.InclusionsAsync(incidentId, ct);
        var signed = inclusions.Count == 0 ? [] : await anchors.ReadAsync(inclusions.Min(i => i.Anchor), inclusions.Max(i => i.Anchor), ct);
        var export = EvidenceExport.Build(incidentId, force, reference, events, signed, inclusions, anchors.PublicKeys, time.GetUtcNow());
        EvidenceLog.Exported(logger, incidentId, events.Count, signed.Count);
        return export;
    }
}
