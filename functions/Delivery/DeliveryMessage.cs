using System.Text.Json.Serialization;

namespace NotifyHub.Delivery;

/// <summary>
/// The message on the <c>deliveries</c> queue: keys and the sequence number only. It names one delivery
/// (<paramref name="RecipientId"/>), or — for an incident's first attempts, sent when its routing is applied — several
/// (<paramref name="RecipientIds"/>, at most <see cref="MaxRecipients"/>), so one message and one invocation start
/// them all instead of one per recipient.
/// </summary>
public sealed record DeliveryMessage(
    string IncidentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RecipientId = null,
    int Sequence = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? RecipientIds = null)
{
    public const int MaxRecipients = 32;

    /// <summary>An incident's first attempts, to these recipients.</summary>
    public static DeliveryMessage FirstAttempts(string incidentId, IReadOnlyList<string> recipientIds) =>
        recipientIds.Count == 1 ? new(incidentId, recipientIds[0]) : new(incidentId, RecipientIds: recipientIds);

    /// <summary>The recipients this message is for.</summary>
    public IReadOnlyList<string> Recipients() => RecipientIds ?? (RecipientId is null ? [] : [RecipientId]);

    /// <summary>Names one recipient or a list of distinct ones (not both, not none, none empty).</summary>
    public bool IsWellFormed() => (RecipientId, RecipientIds) switch
    {
        ({ Length: > 0 }, null) => true,
        (null, { Count: > 0 and <= MaxRecipients } ids) => ids.All(id => !string.IsNullOrEmpty(id)) && ids.Distinct(StringComparer.Ordinal).Count() == ids.Count,
        _ => false,
    };
}
