using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Timeliness;

/// <summary>
/// The timeliness facts routing stores on each delivery and unrouted-share row (ids, codes and times only), and the
/// <see cref="ShareFact"/> each stored row stands for: the one mapping that both the live updates and the rebuild use.
/// </summary>
public static class ShareFactRows
{
    /// <summary>The incident's timeliness facts, written on every row routing makes for it.</summary>
    public sealed record IncidentFacts(string ForceCode, string La, string RiskLevel, DateTimeOffset ReportedAt, DateTimeOffset OccurredAt, DateTimeOffset? AttendedAt, DateTimeOffset ReceivedAt);

    public static void Write(TableEntity row, IncidentFacts facts)
    {
        row["ForceCode"] = facts.ForceCode;
        row["La"] = facts.La;
        row["RiskLevel"] = facts.RiskLevel;
        row["ReportedAt"] = facts.ReportedAt;
        row["OccurredAt"] = facts.OccurredAt;
        if (facts.AttendedAt is { } attended) row["AttendedAt"] = attended;
        row["ReceivedAt"] = facts.ReceivedAt;
    }

    /// <summary>The fact of a delivery row (never an attempt row); null for a row routed before timeliness was recorded.</summary>
    /// <param name="receipt">The receipt as just saved, when it is newer than the row as read.</param>
    public static ShareFact? FromDelivery(TableEntity row, ReceiptState? receipt = null)
    {
        if (row.GetString("La") is not { } la || row.GetDateTimeOffset("ReportedAt") is not { } reported) return null;
        var record = ReceiptStore.Read(row);
        if (receipt is not null) record = record with { Receipt = receipt };
        return new ShareFact(NotificationId.Format(row.PartitionKey, row.RowKey), ShareKinds.Delivery, row.PartitionKey, row.GetString("ForceCode") ?? "", la,
            UkTime.DateOf(reported), record.RecipientType, row.RowKey, row.GetString("RiskLevel") ?? "", reported,
            row.GetDateTimeOffset("OccurredAt"), row.GetDateTimeOffset("AttendedAt"), row.GetDateTimeOffset("ReceivedAt"), row.GetDateTimeOffset("DueAt"),
            record.Receipt.DeliveredAt, record.Receipt.Acknowledged?.At, record.Receipt.Status == DeliveryStatus.Failed, record.Receipt.FailureReason);
    }

    /// <summary>The fact of an unrouted share that has not been resolved; null otherwise.</summary>
    public static ShareFact? FromUnrouted(TableEntity row)
    {
        if (row.GetString("La") is not { } la || row.GetDateTimeOffset("ReportedAt") is not { } reported) return null;
        return new ShareFact($"u:{row.PartitionKey}:{row.RowKey}", ShareKinds.Unrouted, row.PartitionKey, row.GetString("ForceCode") ?? "", la, UkTime.DateOf(reported),
            row.GetString("RecipientType") ?? "", null, row.GetString("RiskLevel") ?? "", reported, row.GetDateTimeOffset("OccurredAt"),
            row.GetDateTimeOffset("AttendedAt"), row.GetDateTimeOffset("ReceivedAt"), null, null, null, false, row.GetString("Reason"));
    }
}
