using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.FrontDoor;

/// <summary>The front door's view, a projection of the ledger like every other list.</summary>
public static class FrontDoorViews
{
    public const string HopsPartition = "hops";

    /// <summary>
    /// Table <c>FrontDoorHops</c>, partition <c>hops</c>, row = the share's notification id: every share that went through an LA
    /// front door — its relay, recipient type, when it was held, its release due time and the recipient's, and what became of it
    /// and when (ids, codes and times only: what the front-door report counts).
    /// </summary>
    public static readonly RowView Hops = new("front-door-hops", StorageNames.FrontDoorHopsTable, d => d.Hold is not null,
        d => (HopsPartition, d.NotificationId),
        (d, facts) => new Dictionary<string, object?>
        {
            ["IncidentId"] = d.IncidentId,
            ["La"] = facts?.La,
            ["ForceCode"] = d.ForceCode,
            ["RiskLevel"] = facts?.RiskLevel,
            ["Via"] = d.Hold!.Via,
            ["RecipientType"] = d.RecipientType,
            ["HeldAt"] = d.CreatedAt,
            ["ReleaseDueAt"] = d.Hold.ReleaseDueAt,
            ["DueAt"] = d.DueAt,
            ["State"] = d.Hold.State,
            ["At"] = d.Hold.At,
            ["Reason"] = d.Hold.Reason,
            ["LateAt"] = d.LateAt,
            ["OnTime"] = d.Hold.OnTime,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [HopsPartition]);
}
