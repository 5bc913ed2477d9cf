using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Evidence;
using NotifyHub.Evidence;
using NotifyHub.Ledger;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/evidence/{token}</c> (an evidence link, from an evidence export's <c>timeline</c>): the incident's evidence as a
/// printable page for people — whether the record verifies (checked here, with the hub's own key), every event in time order
/// in plain English, who was told what and when, who acknowledged and what was late, and how to check the export without the
/// hub. Organisations are named from the ledger's deliveries; the events hold no personal data, and no content is read. A
/// link that does not open (forged, altered, expired, or not an evidence link) gets <see cref="LinkPages.NotValid"/>.
/// </summary>
public sealed class OpenEvidenceTimeline(LedgerStore ledger, IncidentEvidence evidence, EvidenceAnchors anchors, NotifyHub.Audit.AuditTrail audit, TimeProvider time)
{
    [Function(nameof(OpenEvidenceTimeline))]
    [RequiresLink(LinkKind.Evidence)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/evidence/{token}")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        var grant = request.HttpContext.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (EvidenceLinks.IncidentOf(grant) is not { } incidentId) return LinkPages.NotValid(request.HttpContext, LinkKind.Evidence);
        var head = await ledger.LoadAsync(incidentId, LedgerParts.None, [], ct);
        if (head.Facts is not { } facts) return LinkPages.NotValid(request.HttpContext, LinkKind.Evidence);

        var export = await evidence.ExportAsync(incidentId, facts.ForceCode, facts.IncidentReference, ct);
        await audit.RecordAsync(NotifyHub.Audit.AuditActor.EvidenceLink, NotifyHub.Audit.AuditActions.EvidenceTimelineOpened, [incidentId],
            new { linkExpiresAt = grant.ExpiresAt }, ct);
        var trusted = anchors.PublicKeys.ToDictionary(k => k.Key, k => EvidenceSignature.ReadPublic(k.Value).Key!, StringComparer.Ordinal);
        VerifyReport report;
        try
        {
            report = EvidenceVerifier.Verify(export, trusted);
        }
        finally
        {
            foreach (var key in trusted.Values) key.Dispose();
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in head.Deliveries.Values)
        {
            names[d.RecipientId] = d.RecipientName;
            names.TryAdd(d.OrganisationId, d.RecipientName);
        }
        var events = EvidenceTimeline.Events(export);
        var now = time.GetUtcNow();
        var view = new EvidenceTimelinePage.View(facts.ForceCode, facts.IncidentReference, report, EvidenceTimeline.ExportedAt(export) ?? now, EvidenceTimeline.Anchors(export),
            EvidenceTimeline.Entries(events, names), EvidenceTimeline.Told(events, names), grant.ExpiresAt, now);
        return Page.Result(request.HttpContext, EvidenceTimelinePage.Render(view));
    }
}
