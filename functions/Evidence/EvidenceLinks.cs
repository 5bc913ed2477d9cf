using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;

namespace NotifyHub.Evidence;

/// <summary>
/// The link in an evidence export to the incident's printable timeline (<c>OpenEvidenceTimeline</c>): the same signed,
/// expiring link tokens as the email and dashboard links, granting <c>evidence:{incident id}</c>, so that whoever exported
/// the evidence can hand a person a page to read and print without an API key. It is short-lived
/// (<see cref="EvidenceOptions.TimelineLinkValidFor"/>, an hour by default) rather than revocable: every export brings a new
/// one, so its nonce is fixed.
/// </summary>
public sealed class EvidenceLinks(IOptions<DeliveryOptions> delivery, IOptions<EvidenceOptions> evidence, TimeProvider time)
{
    private const string Prefix = "evidence:";

    /// <summary>Every evidence link's nonce: there is nothing to revoke, only to let expire.</summary>
    public const string Nonce = "evidence";

    public (string Url, DateTimeOffset ExpiresAt) Create(string incidentId)
    {
        var expires = time.GetUtcNow() + evidence.Value.TimelineLinkValidFor;
        var token = LinkToken.Create(delivery.Value.LinkSigningKeyBytes, Grant(incidentId, expires));
        return (delivery.Value.PublicBaseUrl.TrimEnd('/') + "/api/evidence/" + token, expires);
    }

    public static LinkGrant Grant(string incidentId, DateTimeOffset expiresAt) => new(Prefix + incidentId, Nonce, expiresAt);

    /// <summary>The incident a verified grant opens the evidence of; null when it is not an evidence grant (an email or dashboard link's).</summary>
    public static string? IncidentOf(LinkGrant grant) =>
        grant.NotificationId.StartsWith(Prefix, StringComparison.Ordinal) && grant.NotificationId.Length > Prefix.Length
        && string.Equals(grant.Nonce, Nonce, StringComparison.Ordinal)
            ? grant.NotificationId[Prefix.Length..]
            : null;
}
