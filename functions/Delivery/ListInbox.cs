using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/inbox</c> (recipient): the caller's own notifications, newest first —
/// <c>?status=pending|sending|delivered|acknowledged|failed&amp;since=…&amp;until=…&amp;pageSize=…&amp;continuationToken=…</c>.
/// Ids and statuses only; <c>GET /api/notifications/{id}</c> gives the content. A page may hold fewer items than
/// <c>pageSize</c> while a continuation token is still given: follow it until there is none.
/// </summary>
public sealed class ListInbox(RecipientNotifications notifications)
{
    [Function(nameof(ListInbox))]
    [RequiresRole(Roles.Recipient, Roles.Police)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/inbox")] HttpRequest request)
    {
        var query = new QueryParameters(request.Query);
        var status = query.Single("status");
        if (status is not null && !DeliveryStatus.All.Contains(status)) query.Errors.Add("status", $"must be one of: {string.Join(", ", DeliveryStatus.All)}");
        var since = query.Instant("since");
        var until = query.Instant("until");
        if (since is not null && until is not null && until <= since) query.Errors.Add("until", "must be later than since");
        var pageSize = query.PageSize();
        var token = query.TableToken();
        if (query.Errors.Any) return Problems.Invalid(query.Errors);

        var caller = request.HttpContext.Caller();
        return TypedResults.Ok(await notifications.ListAsync(caller.OrganisationId, status, since, until, token, pageSize, request.HttpContext.RequestAborted));
    }
}
