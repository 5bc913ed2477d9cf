using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Delivery;

/// <summary>
/// The delivery views, projections of the ledger (docs/architecture.md, "The ledger"): each recipient's inbox, the deliveries
/// still open (what reconciliation watches for a lost message) and those that failed on every channel (missing shares).
/// </summary>
public static class DeliveryViews
{
    public const string OpenPartition = "open";
    public const string FailedPartition = "failed";

    /// <summary>
    /// Table <c>RecipientDeliveries</c>: partition = the organisation's id, row = the incident id with its hex digits
    /// inverted (newest first), then what the notification is when it is not the incident's share (<see cref="DeliveryKey"/>).
    /// A share held (or withheld) at the LA front door is not in its recipient's inbox until it is released.
    /// </summary>
    public static readonly RowView Inbox = new("inbox", StorageNames.RecipientDeliveriesTable, d => d.WithRecipient,
        d => (d.OrganisationId, InboxKeys.RowKey(d.IncidentId, d.RecipientId)),
        (d, _) => new Dictionary<string, object?>
        {
            ["Kind"] = d.Kind,
            ["RecipientType"] = d.RecipientType,
            ["Rule"] = d.Rule,
            ["CreatedAt"] = d.CreatedAt,
            ["Status"] = d.Receipt.Status,
            ["DueAt"] = d.DueAt,
        },
        row => (InboxKeys.IncidentId(row.RowKey), InboxKeys.RecipientKey(row.PartitionKey, row.RowKey)));

    /// <summary>Table <c>OpenDeliveries</c>, partition <c>open</c>: deliveries with an attempt still to make, and when.</summary>
    public static readonly RowView Open = new("open", StorageNames.OpenDeliveriesTable, d => d.IsOpen,
        d => (OpenPartition, d.NotificationId),
        (d, _) => new Dictionary<string, object?> { ["NextAttemptAt"] = d.Receipt.NextAttemptAt, ["Sequence"] = d.Sequence },
        OwnerOf, [OpenPartition]);

    /// <summary>Table <c>OpenDeliveries</c>, partition <c>failed</c>: deliveries every channel failed, until the recipient recovers one.</summary>
    public static readonly RowView Failed = new("failed", StorageNames.OpenDeliveriesTable, d => d.Receipt.Status == DeliveryStatus.Failed,
        d => (FailedPartition, d.NotificationId),
        (d, _) => new Dictionary<string, object?> { ["FailureReason"] = d.Receipt.FailureReason, ["FailedAt"] = d.Receipt.FailedAt },
        OwnerOf, [FailedPartition]);

    private static (string, string)? OwnerOf(Azure.Data.Tables.TableEntity row) =>
        NotificationId.TryParse(row.RowKey, out var incidentId, out var recipientId) ? (incidentId, recipientId) : null;
}

/// <summary>
/// Inbox rows (<c>RecipientDeliveries</c>): partition = the organisation's id, row = the incident id with its hex digits
/// inverted, so newest sorts first, followed by <c>~{what}</c> for a notification that is not the incident's share.
/// </summary>
public static class InboxKeys
{
    private const string Prefix = "inc_";

    public static string RowKey(string incidentId, string? recipientKey = null)
    {
        var row = Invert(incidentId.StartsWith(Prefix, StringComparison.Ordinal) ? incidentId[Prefix.Length..] : incidentId);
        var at = recipientKey?.IndexOf(DeliveryKey.Separator) ?? -1;
        return at < 0 ? row : row + recipientKey![at..];
    }

    public static string IncidentId(string rowKey)
    {
        var at = rowKey.IndexOf(DeliveryKey.Separator);
        return Prefix + Invert(at < 0 ? rowKey : rowKey[..at]);
    }

    /// <summary>The delivery's key within its incident, from the organisation's id (the partition) and the row key.</summary>
    public static string RecipientKey(string organisationId, string rowKey)
    {
        var at = rowKey.IndexOf(DeliveryKey.Separator);
        return at < 0 ? organisationId : organisationId + rowKey[at..];
    }

    private static string Invert(string hex) =>
        string.Create(hex.Length, hex, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiHexDigitLower(c) ? "fedcba9876543210"[Convert.ToInt32(c.ToString(), 16)] : c;
            }
        });
}
