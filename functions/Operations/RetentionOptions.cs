using System.ComponentModel.DataAnnotations;

namespace NotifyHub.Retention;

/// <summary>Configuration section <c>Retention</c>: how long the hub holds personal data.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// How long after an incident is routed its personal data — the incident as submitted and each delivery's
    /// projected content — is kept. Long enough for every delivery, its escalations and any query about it; the
    /// hub is not the record-keeping system of any agency. Default 90 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan PersonalDataAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Cumulative risk counts a child's incidents over the last 12 months, so the pseudonymous child history is kept
    /// at least that long (plus a margin), and otherwise as long as <see cref="PersonalDataAfter"/>.
    /// </summary>
    public static readonly TimeSpan ChildHistoryAtLeast = TimeSpan.FromDays(400);

    /// <summary>The age after which a child-history record goes.</summary>
    public TimeSpan ChildHistoryAfter => PersonalDataAfter > ChildHistoryAtLeast ? PersonalDataAfter : ChildHistoryAtLeast;
}
