namespace NotifyHub.Domain.Timeliness;

/// <summary>What a share is, for timeliness: a delivery, an expected share that could not be routed, or an incident a force's manifest lists that the hub never received.</summary>
public static class ShareKinds
{
    public const string Delivery = "delivery";
    public const string Unrouted = "unrouted";
    public const string MissingAtSource = "missing-at-source";
    /// <summary>A share the LA front door withheld, with a reason (docs/routing.md): never sent, and neither late nor missing.</summary>
    public const string Withheld = "withheld";
}

/// <summary>
/// One share as the timeliness reports count it: ids, codes and times only — nothing that identifies a child or an
/// adult. Built from the stored records (a delivery row, an unrouted share, a manifest entry) by a pure function, so
/// the rollups can be rebuilt from the raw records and every update is a replacement, never an increment.
/// </summary>
/// <param name="Key">Unique per share: the notification id, <c>u:{incident}:{share}</c> or <c>m:{force}:{reference}</c>.</param>
/// <param name="La">The incident's local authority (the partnership's scope).</param>
/// <param name="Day">The local (Europe/London) date of <paramref name="ReportedAt"/>: the day a report period counts it in.</param>
public sealed record ShareFact(
    string Key, string Kind, string? IncidentId, string ForceCode, string La, DateOnly Day, string RecipientType, string? OrganisationId, string RiskLevel,
    DateTimeOffset ReportedAt, DateTimeOffset? OccurredAt, DateTimeOffset? AttendedAt, DateTimeOffset? ReceivedAt,
    DateTimeOffset? DueAt, DateTimeOffset? DeliveredAt, DateTimeOffset? AcknowledgedAt, bool Failed, string? Reason)
{
    public bool IsDelivery => Kind == ShareKinds.Delivery;

    /// <summary>Late: not acknowledged by its due time, and the due time has passed (an acknowledgement after it stays late).</summary>
    public bool IsLate(DateTimeOffset now) => IsDelivery && DueAt is { } due && (AcknowledgedAt is { } ack ? ack > due : now > due);

    public bool DeliveredByDue => IsDelivery && DueAt is { } due && DeliveredAt is { } at && at <= due;

    public bool AcknowledgedByDue => IsDelivery && DueAt is { } due && AcknowledgedAt is { } at && at <= due;

    /// <summary>
    /// The version of its incident's ledger the fact was taken at (0 for a fact no ledger holds: missing at source). A fact
    /// replaces a stored one only when it is at least as new, so a late or repeated apply, or a rebuild running beside live
    /// changes, never sets a share back.
    /// </summary>
    public long Version { get; init; }

    /// <summary>Whether this fact may replace <paramref name="stored"/> (same key): it is at least as new.</summary>
    public bool Supersedes(ShareFact? stored) => stored is null || Version >= stored.Version;
}

/// <summary>The facts the ledger's deliveries and unrouted shares stand for: the one mapping the live projection and the rebuild share.</summary>
public static class ShareFacts
{
    public static ShareFact OfDelivery(Delivery.DeliveryRecord d, Delivery.IncidentFacts incident, long version) =>
        new(d.NotificationId, d.IsWithheld ? ShareKinds.Withheld : ShareKinds.Delivery, d.IncidentId, incident.ForceCode, incident.La, UkTime.DateOf(incident.ReportedAt), d.RecipientType,
            d.RecipientId, incident.RiskLevel, incident.ReportedAt, incident.OccurredAt, incident.AttendedAt, incident.ReceivedAt, d.DueAt,
            d.Receipt.DeliveredAt, d.Receipt.Acknowledged?.At, d.Receipt.Status == Delivery.DeliveryStatus.Failed, d.IsWithheld ? d.Hold!.Reason : d.Receipt.FailureReason)
        { Version = version };

    public static ShareFact OfUnrouted(string incidentId, Routing.UnroutedShare share, Delivery.IncidentFacts incident, long version) =>
        new($"u:{incidentId}:{share.Key}", ShareKinds.Unrouted, incidentId, incident.ForceCode, incident.La, UkTime.DateOf(incident.ReportedAt),
            share.RecipientType, null, incident.RiskLevel, incident.ReportedAt, incident.OccurredAt, incident.AttendedAt, incident.ReceivedAt, null, null,
            null, false, share.Reason)
        { Version = version };

    /// <summary>
    /// Whether two facts say the same (their versions aside, to the millisecond a rollup keeps times to): a fact that says
    /// nothing new need not be written.
    /// </summary>
    public static bool SameFacts(ShareFact a, ShareFact b) => Stored(a) == Stored(b);

    private static ShareFact Stored(ShareFact f) => f with
    {
        Version = 0, ReportedAt = Ms(f.ReportedAt), OccurredAt = Ms(f.OccurredAt), AttendedAt = Ms(f.AttendedAt), ReceivedAt = Ms(f.ReceivedAt),
        DueAt = Ms(f.DueAt), DeliveredAt = Ms(f.DeliveredAt), AcknowledgedAt = Ms(f.AcknowledgedAt),
    };

    private static DateTimeOffset Ms(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static DateTimeOffset? Ms(DateTimeOffset? at) => at is { } a ? Ms(a) : null;
}
