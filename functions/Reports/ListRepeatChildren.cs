using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/repeat-children</c>: children with 3 or more incidents in the last 90 days (domain.md, "Cumulative
/// risk"). A MASH (recipient key of a <c>mash</c> organisation) gets the identifying list for its LA — name and date of
/// birth read from the child's latest incident while its personal data is held, with the incident's id and reference.
/// Partnership leads (their LAs) and administrators get counts per LA only. Any other recipient: 403.
/// </summary>
public sealed class ListRepeatChildren(RepeatChildrenStore store, IncidentStore incidents, RecipientCache recipients, ReportScope scopes,
    RollupStore rollups, TimeProvider time)
{
    public sealed record Child(string? GivenName, string? FamilyName, DateOnly? DateOfBirth, int IncidentsLast90Days, string LatestIncidentId,
        string ForceCode, string IncidentReference, DateTimeOffset LatestOccurredAt, bool PersonalDataPurged);

    public sealed record MashAnswer(string La, int Count, IReadOnlyList<Child> Children);

    public sealed record LaCount(string La, int Children);

    public sealed record CountsAnswer(int Total, IReadOnlyList<LaCount> Las);

    [Function(nameof(ListRepeatChildren))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Recipient)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/repeat-children")] HttpRequest request)
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
                var stored = await incidents.LoadAsync(repeat.ForceCode, repeat.IncidentReference, ct);
                var child = stored?.Incident?.Children.ElementAtOrDefault(repeat.ChildIndex);
                children.Add(new Child(child?.GivenName, child?.FamilyName, child?.DateOfBirth, repeat.IncidentsLast90Days, repeat.LatestIncidentId,
                    repeat.ForceCode, repeat.IncidentReference, repeat.LatestOccurredAt, child is null));
            }
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
