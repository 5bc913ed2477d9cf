using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Organisations;

namespace NotifyHub.Timeliness;

/// <summary>
/// Links to a partnership lead's dashboard: the same signed, expiring link tokens as the email links, granting
/// <c>dashboard:{organisation id}</c> instead of a notification, so a lead opens its dashboard from the daily digest
/// without an API key in the browser. A link stops working when it expires or the lead is deactivated.
/// </summary>
public sealed class DashboardLinks(IOptions<DeliveryOptions> delivery, IOptions<TimelinessOptions> timeliness, DirectoryStore directory, TimeProvider time)
{
    private const string Prefix = "dashboard:";
    private const string Nonce = "dashboard";

    public (string Url, DateTimeOffset ExpiresAt) Create(string organisationId)
    {
        var expires = time.GetUtcNow() + timeliness.Value.DashboardLinkValidFor;
        var token = LinkToken.Create(delivery.Value.LinkSigningKeyBytes, new LinkGrant(Prefix + organisationId, Nonce, expires));
        return (delivery.Value.PublicBaseUrl.TrimEnd('/') + "/api/dashboard/" + token, expires);
    }

    /// <summary>The active partnership lead a verified link grants, or null (a notification's link, or a lead since deactivated).</summary>
    public async Task<Organisation?> LeadAsync(HttpContext context, CancellationToken ct)
    {
        var grant = context.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (!grant.NotificationId.StartsWith(Prefix, StringComparison.Ordinal) || grant.Nonce != Nonce) return null;
        var lead = await directory.GetAsync(grant.NotificationId[Prefix.Length..], ct);
        return lead is { Active: true, Type: OrganisationTypes.PartnershipLead } ? lead : null;
    }
}
