using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Evidence;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Ledger;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/incidents/{force}/{reference}/evidence</c>: the incident's evidence export (docs/evidence.md) — every event of
/// its record with its hash, the signed anchors that hold them and the inclusion proofs — for the submitting force, the
/// partnership lead of the incident's LA, an inspector whose key covers that LA, and administrators. Ids, codes and times
/// only: no personal data. Every export is audited. Anyone else gets 404, as if there were no such incident. Once the incident
/// has been routed the export also carries <c>timeline</c>, a link (expiring at <c>timelineExpiresAt</c>) to the same evidence
/// as a page for people (<see cref="OpenEvidenceTimeline"/>); the two are added after the export is built, outside what the
/// verifier checks, which reads only the members it knows.
/// </summary>
public sealed class GetIncidentEvidence(IncidentStore incidents, LedgerStore ledger, IncidentEvidence evidence, EvidenceLinks links, ReportScope scopes,
    AuditTrail audit)
{
    [Function(nameof(GetIncidentEvidence))]
    [RequiresRole(Roles.Admin, Roles.Police, Roles.Partnership, Roles.Inspector)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/incidents/{force}/{reference}/evidence")] HttpRequest request,
        string force, string reference)
    {
        if (NotifyHub.Domain.Incidents.IncidentValidator.PathErrors(force, reference) is { Any: true } bad) return Problems.Invalid(bad);
        var caller = request.HttpContext.Caller();
        if (caller.Role == Roles.Police && !string.Equals(force, caller.ForceCode, StringComparison.Ordinal))
            return Problems.OtherForce(force, caller.ForceCode);
        var ct = request.HttpContext.RequestAborted;
        var notFound = Problems.NotFound($"Force {force} has no incident with reference {reference} that this API key may see.");
        if (await incidents.GetStatusAsync(force, reference, ct) is not { } status) return notFound;
        var head = await ledger.LoadAsync(status.IncidentId, LedgerParts.None, [], ct);
        var scope = await scopes.ForAsync(caller, ct);
        // Before routing there is no LA on record: only the force and administrators see the (empty) evidence.
        if (scope.Las is not null && (head.Facts is not { } facts || !scope.Covers(facts.La, force))) return notFound;

        var export = await evidence.ExportAsync(status.IncidentId, force, reference, ct);
        // Before routing the ledger has no events, and no force and reference for the page to name the incident by.
        if (head.Facts is not null)
        {
            var (url, expiresAt) = links.Create(status.IncidentId);
            export["timeline"] = url;
            export["timelineExpiresAt"] = Domain.Ledger.LedgerEvent.Canonical(expiresAt);
        }
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.EvidenceExported, [status.IncidentId],
            new { role = caller.Role, events = export["events"]!.AsArray().Count, anchors = export["anchors"]!.AsArray().Count, purpose = caller.Purpose }, ct);
        return TypedResults.Text(export.ToJsonString(), "application/json");
    }
}
