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

    /// <summary>Table <c>RecipientDeliveries</c>: partition = recipient id, row = the incident id with its hex digits inverted (newest first).</summary>
    public static readonly RowView Inbox = new("inbox", StorageNames.RecipientDeliveriesTable, _ => true,
        d => (d.RecipientId, InboxKeys.RowKey(d.IncidentId)),
        (d, _) => new Dictionary<string, object?>
        {
            ["RecipientType"] = d.RecipientType,
            ["Rule"] = d.Rule,
            ["CreatedAt"] = d.CreatedAt,
            ["Status"] = d.Receipt.Status,
            ["DueAt"] = d.DueAt,
        },
        row => (InboxKeys.IncidentId(row.RowKey), row.PartitionKey));

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

/// <summary>Inbox rows (<c>RecipientDeliveries</c>): partition = recipient id, row = the incident id with its hex digits inverted, so newest sorts first.</summary>
public static class InboxKeys
{
    private const string Prefix = "inc_";

    public static string RowKey(string incidentId) => Invert(incidentId.StartsWith(Prefix, StringComparison.Ordinal) ? incidentId[Prefix.Length..] : incidentId);

    public static string IncidentId(string rowKey) => Prefix + Invert(rowKey);

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
