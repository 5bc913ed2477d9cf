using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/webhooks/silent?days=N</c> (admin, N from 1 to 365, default 1): every active recipient whose
/// webhook endpoint has had no successful handshake (daily ping) in the last N days — never pinged, failing, without
/// a signing secret, or disabled — with what the last ping said, and why a stored secret was left out (<c>secretProblem</c>:
/// <c>stored-in-the-clear</c> or <c>unreadable</c>).
/// </summary>
public sealed class ListSilentWebhooks(DirectoryStore directory, WebhookEndpointStore endpoints, TimeProvider time)
{
    public sealed record SilentEndpoint(string OrganisationId, string Type, string Name, string Url, bool HasSigningSecret, DateTimeOffset? DisabledAt,
        string? DisabledReason, DateTimeOffset? LastPingAt, bool? LastPingOk, string? LastPingError, DateTimeOffset? LastSuccessfulPingAt, string? SecretProblem);

    public sealed record Answer(int Days, IReadOnlyList<SilentEndpoint> Items);

    [Function(nameof(ListSilentWebhooks))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/webhooks/silent")] HttpRequest request)
    {
        var query = new QueryParameters(request.Query);
        var text = query.Single("days");
        var days = 1;
        if (text is not null && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days is >= 1 and <= 365))
            query.Errors.Add("days", "must be a whole number of days from 1 to 365");
        if (query.Errors.Any) return Problems.Invalid(query.Errors);

        var ct = request.HttpContext.RequestAborted;
        var now = time.GetUtcNow();
        var since = now.AddDays(-days);
        var items = new List<SilentEndpoint>();
        await foreach (var organisation in directory.WebhookRecipientsAsync(ct))
        {
            var endpoint = await endpoints.GetAsync(organisation.Id, now, ct);
            if (endpoint is { Disabled: false, LastSuccessfulPingAt: { } ok, Secrets.Count: > 0 } && ok >= since) continue;
            items.Add(new SilentEndpoint(organisation.Id, organisation.Type, organisation.Name, organisation.Channel!.Url!, endpoint?.Secrets.Count > 0,
                endpoint?.DisabledAt, endpoint?.DisabledReason, endpoint?.LastPingAt, endpoint?.LastPingOk, endpoint?.LastPingOk == true ? null : endpoint?.LastPingError,
                endpoint?.LastSuccessfulPingAt, endpoint?.SecretProblem));
        }
        return TypedResults.Ok(new Answer(days, items.OrderBy(i => i.OrganisationId, StringComparer.Ordinal).ToList()));
    }
}
