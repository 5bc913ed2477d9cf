using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Hosting;
using NotifyHub.Reports;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/decisions/awaiting</c> (a MASH's recipient key: its own; a partnership lead: its LAs'; admin: all): the
/// incidents a MASH received and has not yet decided on, oldest first, each with when the decision is due
/// (<c>Timeliness:DecisionDueAfter</c> after the MASH received it) and how overdue it is. Ids, codes and times only.
/// </summary>
public sealed class ListAwaitingDecisions(MashDecisions decisions, ReportScope scopes, IOptions<TimelinessOptions> timeliness, TimeProvider time)
{
    public sealed record Item(string NotificationId, string IncidentId, string Mash, string? ForceCode, string? IncidentReference, string? La,
        string? RiskLevel, DateTimeOffset ReceivedAt, DateTimeOffset DueAt, long? OverdueBySeconds);

    public sealed record Answer(int Count, int Overdue, IReadOnlyList<Item> Items);

    [Function(nameof(ListAwaitingDecisions))]
    [RequiresRole(Roles.Admin, Roles.Recipient, Roles.Partnership)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/decisions/awaiting")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var scope = caller.Role == Roles.Recipient ? null : await scopes.ForAsync(caller, ct);
        var now = time.GetUtcNow();
        var items = new List<Item>();
        await foreach (var row in decisions.AwaitingAsync(caller.Role == Roles.Recipient ? caller.OrganisationId : null, ct))
        {
            var la = row.GetString("La");
            if (scope is not null && !scope.Covers(la ?? "", row.GetString("ForceCode") ?? "")) continue;
            var received = row.GetDateTimeOffset("ReceivedAt") ?? default;
            var risk = row.GetString("RiskLevel");
            var due = timeliness.Value.DecisionDueAt(received, risk);
            items.Add(new Item(row.RowKey, row.GetString("IncidentId") ?? "", row.GetString("RecipientId") ?? "", row.GetString("ForceCode"),
                row.GetString("IncidentReference"), la, risk, received, due, now > due ? (long)(now - due).TotalSeconds : null));
        }
        var ordered = items.OrderBy(i => i.DueAt).ThenBy(i => i.NotificationId, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new Answer(ordered.Count, ordered.Count(i => i.OverdueBySeconds is not null), ordered));
    }
}
