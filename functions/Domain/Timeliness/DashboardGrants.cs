using NotifyHub.Domain.Delivery;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// What a dashboard link grants: one partnership lead's dashboard, while the link's nonce is the lead's current one. A
/// revocation gives the lead a new nonce, so every link issued before it stops opening at once, however long it had left.
/// </summary>
public static class DashboardGrants
{
    private const string Prefix = "dashboard:";

    /// <summary>
    /// A lead's nonce until its first revocation: the one every dashboard link carried before links could be revoked, so
    /// those keep working until they expire or are revoked.
    /// </summary>
    public const string FirstNonce = "dashboard";

    public static LinkGrant For(string leadId, string nonce, DateTimeOffset expiresAt) => new(Prefix + leadId, nonce, expiresAt);

    /// <summary>The lead a verified grant names; null when it is not a dashboard grant (an email link's, for instance).</summary>
    public static string? LeadOf(LinkGrant grant) =>
        grant.NotificationId.StartsWith(Prefix, StringComparison.Ordinal) && grant.NotificationId.Length > Prefix.Length ? grant.NotificationId[Prefix.Length..] : null;

    /// <summary>Whether a dashboard grant still opens: it carries its lead's current nonce (<see cref="FirstNonce"/> before any revocation).</summary>
    public static bool IsCurrent(LinkGrant grant, string currentNonce) => string.Equals(grant.Nonce, currentNonce, StringComparison.Ordinal);
}

/// <summary>Whose dashboard links a request revokes, or why it may not: the field to name and the reason.</summary>
public sealed record RevocationTarget(string? LeadId, string? Field = null, string? Reason = null, bool Forbidden = false);

/// <summary>Who may revoke which partnership lead's dashboard links.</summary>
public static class DashboardLinkRevocation
{
    public const string Field = "organisationId";

    /// <summary>
    /// An administrator names the lead (<paramref name="requested"/> is required); a partnership lead revokes its own
    /// links only — naming itself or nothing — and naming another organisation is forbidden.
    /// </summary>
    public static RevocationTarget Target(bool administrator, string callerOrganisationId, string? requested) =>
        administrator
            ? requested is null ? new(null, Field, "is required: name the partnership lead whose dashboard links to revoke") : new(requested)
            : requested is null || requested == callerOrganisationId ? new(callerOrganisationId)
            : new(null, Field, "must be your own organisation (or be left out): a partnership lead revokes only its own dashboard links", Forbidden: true);
}
