using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/audit?from=&amp;to=&amp;actor=&amp;action=&amp;pageSize=&amp;continuationToken=</c> (admin): the audit
/// trail, newest first, a page at a time (default 100, at most 1000). <c>from</c> (inclusive) and <c>to</c>
/// (exclusive) are ISO 8601 instants with an offset; <c>actor</c> is a key id or an organisation id; <c>action</c>
/// one of <see cref="AuditActions.All"/>. Pass the answer's <c>continuationToken</c> back, with the same filters,
/// for the next page; a page may hold fewer items than asked for while a token still follows.
/// </summary>
public sealed partial class ListAuditEntries(AuditTrail audit)
{
    [Function(nameof(ListAuditEntries))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/audit")] HttpRequest request)
    {
        var query = new QueryParameters(request.Query);
        var errors = query.Errors;
        var from = query.Instant("from");
        var to = query.Instant("to");
        var actor = query.Single("actor");
        var action = query.Single("action");
        var (size, tableToken) = (query.PageSize(), query.TableToken());

        if (from is not null && to is not null && from >= to) errors.Add("to", "must be later than from");
        if (actor is not null && !ActorPattern().IsMatch(actor)) errors.Add("actor", "must be a key id or an organisation id");
        if (action is not null && !AuditActions.All.Contains(action)) errors.Add("action", "must be one of: " + string.Join(", ", AuditActions.All.Order()));
        if (errors.Any) return Problems.Invalid(errors);

        return TypedResults.Ok(await audit.QueryAsync(new AuditQuery(from, to, actor, action), tableToken, size, request.HttpContext.RequestAborted));
    }

    [GeneratedRegex("^[A-Za-z0-9_:-]{2,80}$")] private static partial Regex ActorPattern();
}
