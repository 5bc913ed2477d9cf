using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using System.Text.Json;
using NotifyHub.Audit;
using NotifyHub.Domain.Routing;
using NotifyHub.Ledger;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/repeat-children</c>: children with 3 or more incidents in the last 90 days (domain.md, "Cumulative
/// risk"). A MASH (recipient key of a <c>mash</c> organisation) gets the identifying list for its LA — each child's name
/// and date of birth read from the MASH's own notification of the child's latest incident (what it was sent, while that
/// is held; nothing for an incident the MASH was not sent), with the incident's id and reference; each such read is in the
/// audit trail. Partnership leads (their LAs) and administrators get counts per LA only. Any other recipient: 403.
/// </summary>
public sealed class ListRepeatChildren(RepeatChildrenStore store, LedgerStore ledger, RecipientCache recipients, ReportScope scopes,
    RollupStore rollups, AuditTrail audit, TimeProvider time)
{
    /// <param name="SharedWithYou">Whether the MASH was sent the child's latest incident (its name and date of birth come only from that).</param>
    /// <param name="PersonalDataPurged">The MASH was sent it, and its personal data has since been purged.</param>
    public sealed record Child(string? GivenName, string? FamilyName, DateOnly? DateOfBirth, int IncidentsLast90Days, string LatestIncidentId,
        string ForceCode, string IncidentReference, DateTimeOffset LatestOccurredAt, bool SharedWithYou, bool PersonalDataPurged);

    public sealed record MashAnswer(string La, int Count, IReadOnlyList<Child> Children);

    public sealed record LaCount(string La, int Children);

    public sealed record CountsAnswer(int Total, IReadOnlyList<LaCount> Las);

    [Function(nameof(ListRepeatChildren))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Recipient)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/repeat-children")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var now = time.GetUtcNow();
        if (caller.Role == Roles.Recipient)
        {
            var organisation = await recipients.GetAsync(caller.OrganisationId, ct);
            if (organisation is not { Type: OrganisationTypes.Mash, LaCode: { } la })
                return Problems.Forbidden("Only a MASH sees the children with repeated incidents; partnership leads see counts.");
            var children = new List<Child>();
            foreach (var repeat in await store.CurrentAsync(la, now, ct))
            {
                // Through the MASH's own view: what it was sent about that incident, never the incident as police submitted it.
                var current = await ledger.LoadAsync(repeat.LatestIncidentId, LedgerParts.Content, [organisation.Id], ct);
                var mine = current.Delivery(organisation.Id);
                var content = current.Content.GetValueOrDefault(organisation.Id) is { } bytes
                    ? JsonSerializer.Deserialize(bytes, RoutingJsonContext.Default.DeliveryContent)
                    : null;
                var child = mine is null ? null : content?.Children?.ElementAtOrDefault(mine.Children.ToList().IndexOf(repeat.ChildIndex));
                children.Add(new Child(child?.GivenName, child?.FamilyName, child?.DateOfBirth, repeat.IncidentsLast90Days, repeat.LatestIncidentId,
                    repeat.ForceCode, repeat.IncidentReference, repeat.LatestOccurredAt, mine is not null, mine is not null && content is null));
            }
            await audit.RecordAsync(AuditActor.Of(caller), AuditActions.RepeatChildrenRead, children.Select(c => c.LatestIncidentId).Distinct().ToList(),
                new { la, count = children.Count, identified = children.Count(c => c.GivenName is not null) }, ct);
            return TypedResults.Ok(new MashAnswer(la, children.Count, children));
        }
        var scope = await scopes.ForAsync(caller, ct);
        var counts = new List<LaCount>();
        foreach (var la in scope.Las ?? await rollups.LasAsync(ct))
        {
            counts.Add(new LaCount(la, (await store.CurrentAsync(la, now, ct)).Count));
        }
        return TypedResults.Ok(new CountsAnswer(counts.Sum(c => c.Children), counts));
    }
}
