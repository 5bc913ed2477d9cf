using System.Globalization;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>
/// The lateness views, projections of the ledger: the deliveries still to be judged, by due time (what <c>SlaMonitor</c>
/// reads), and the open late list (late and not yet acknowledged: what partnership leads and forces chase).
/// </summary>
public static class LatenessViews
{
    public const string AwaitingPartition = "awaiting";
    public const string LatePartition = "open";

    /// <summary>
    /// Table <c>DueIndex</c>, partition <c>awaiting</c>, row = <c>{due time}|{notification id}</c>: every delivery not yet marked
    /// late and not acknowledged by its due time, in due order. The monitor reads the rows whose due time has passed — one
    /// range query, however many deliveries the hub has made — and each leaves the list once judged.
    /// </summary>
    public static readonly RowView Awaiting = new("awaiting", StorageNames.DueIndexTable, d => d.AwaitsJudgement,
        // A delivery with no due time has no row here; catching up still asks for its key (to remove a row it cannot have).
        d => (AwaitingPartition, AwaitingRow(d.DueAt ?? DateTimeOffset.MinValue, d.NotificationId)),
        (d, _) => new Dictionary<string, object?> { ["IncidentId"] = d.IncidentId, ["RecipientId"] = d.RecipientId, ["DueAt"] = d.DueAt },
        row => row.RowKey.IndexOf('|') is var bar and > 0 && NotificationId.TryParse(row.RowKey[(bar + 1)..], out var i, out var r) ? (i, r) : null,
        [AwaitingPartition]);

    /// <summary>
    /// Table <c>LateShares</c>, partition <c>open</c>, row = notification id: everything marked late and not yet acknowledged
    /// (ids and codes only) — incidents' shares, and a decision's follow-ups (a decision overdue, a decision shared and not
    /// acknowledged, a next step not done, a challenge unanswered), each with its kind.
    /// </summary>
    public static readonly RowView Late = new("late", StorageNames.LateSharesTable, d => d.IsOpenLate,
        d => (LatePartition, d.NotificationId),
        (d, facts) => new Dictionary<string, object?>
        {
            ["IncidentId"] = d.IncidentId,
            ["RecipientId"] = d.OrganisationId,
            ["Kind"] = d.Kind,
            ["RecipientType"] = d.RecipientType,
            ["RecipientName"] = d.RecipientName,
            ["ForceCode"] = d.ForceCode,
            ["IncidentReference"] = d.IncidentReference,
            ["La"] = facts?.La,
            ["DueAt"] = d.DueAt,
            ["LateAt"] = d.LateAt,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [LatePartition]);

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string AwaitingRow(DateTimeOffset dueAt, string notificationId) => $"{Stamp(dueAt)}|{notificationId}";
}
