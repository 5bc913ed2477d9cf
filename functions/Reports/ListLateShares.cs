using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Routing;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/late</c> (admin, partnership lead, police): every share late and not yet acknowledged, oldest due
/// first — and every follow-up of a MASH's decision that is late (<c>kind</c>: a decision overdue, a decision shared and
/// not acknowledged, a next step not done, a challenge unanswered), with how late it is now — a partnership lead's LAs, a force's own incidents. A share leaves the list when it is
/// acknowledged (its delivery keeps how late that was).
/// </summary>
public sealed class ListLateShares(SlaStore sla, ReportScope scopes, TimeProvider time)
{
    public sealed record Item(string NotificationId, string IncidentId, string ForceCode, string? IncidentReference, string La, string RecipientId,
        string RecipientType, string RecipientName, DateTimeOffset DueAt, DateTimeOffset LateAt, long LateBySeconds, string Kind);

    public sealed record Answer(int Count, IReadOnlyList<Item> Items);

    [Function(nameof(ListLateShares))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Police)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/late")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var items = await ReadAsync(sla, await scopes.ForAsync(request.HttpContext.Caller(), ct), time.GetUtcNow(), ct);
        return TypedResults.Ok(new Answer(items.Count, items));
    }

    /// <summary>The open late shares a scope covers, oldest due first: the API's answer and the partnership lead's late page alike.</summary>
    public static async Task<IReadOnlyList<Item>> ReadAsync(SlaStore sla, Scope scope, DateTimeOffset now, CancellationToken ct)
    {
        var items = new List<Item>();
        await foreach (var late in sla.OpenLateAsync(ct))
        {
            if (!scope.Covers(late.La, late.ForceCode)) continue;
            items.Add(new Item(late.NotificationId, late.IncidentId, late.ForceCode, late.IncidentReference, late.La, late.RecipientId, late.RecipientType,
                late.RecipientName, late.DueAt, late.LateAt, IncidentDeliveries.LateBy(late.DueAt, null, now) ?? 0, late.Kind));
        }
        return items.OrderBy(i => i.DueAt).ThenBy(i => i.NotificationId, StringComparer.Ordinal).ToList();
    }
}
