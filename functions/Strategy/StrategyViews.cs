using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Strategy;

/// <summary>The strategy discussions' view, a projection of the ledger like every other list.</summary>
public static class StrategyViews
{
    public const string DeliveriesPartition = "strategy";

    /// <summary>
    /// Table <c>StrategyDeliveries</c>, partition <c>strategy</c>, row = notification id: every delivery of a strategy
    /// discussion — what is due from its chair (with when it was held), each invitation (the answer, when information was
    /// first sent, whether the invitee attended), each invitee's minutes and each action — with its receipt's times and the
    /// incident's LA, force and times. Ids, codes and times only: what the strategy report counts, never what anyone wrote.
    /// </summary>
    public static readonly RowView Deliveries = new("strategy-deliveries", StorageNames.StrategyDeliveriesTable,
        d => d.Kind is DeliveryKinds.StrategyDue or DeliveryKinds.Invitation or DeliveryKinds.Minutes or DeliveryKinds.Action,
        d => (DeliveriesPartition, d.NotificationId),
        (d, facts) => new Dictionary<string, object?>
        {
            ["IncidentId"] = d.IncidentId,
            ["Kind"] = d.Kind,
            ["OrganisationId"] = d.OrganisationId,
            ["RecipientType"] = d.RecipientType,
            ["Number"] = DeliveryKey.NumberOf(d.RecipientId),
            ["ForceCode"] = d.ForceCode,
            ["La"] = facts?.La,
            ["RiskLevel"] = facts?.RiskLevel,
            ["ReportedAt"] = facts?.ReportedAt,
            ["ReceivedAt"] = facts?.ReceivedAt,
            ["CreatedAt"] = d.CreatedAt,
            ["DueAt"] = d.DueAt,
            ["AcknowledgedAt"] = d.Receipt.Acknowledged?.At,
            ["LateAt"] = d.LateAt,
            ["HeldAt"] = d.HeldAt,
            ["Answer"] = d.Answer,
            ["InformedAt"] = d.InformedAt,
            ["Attended"] = d.Attended,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [DeliveriesPartition]);
}
