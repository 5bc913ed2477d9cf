using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Decisions;

/// <summary>The decisions' views, projections of the ledger like every other list.</summary>
public static class DecisionViews
{
    public const string AwaitingPartition = "awaiting";
    public const string MadePartition = "made";
    public const string FollowUpsPartition = "follow-ups";

    /// <summary>
    /// Table <c>DecisionsAwaiting</c>, partition <c>awaiting</c>, row = the MASH's notification id: every incident a MASH
    /// received and has not yet decided on (ids, codes and times only). The MASH reads its own rows, a partnership lead
    /// those of its LAs; the due time is worked out as they read (the policy may change; the row does not).
    /// </summary>
    public static readonly RowView Awaiting = new("decisions-awaiting", StorageNames.DecisionsAwaitingTable, d => d.AwaitsDecision,
        d => (AwaitingPartition, d.NotificationId),
        (d, facts) => new Dictionary<string, object?>
        {
            ["IncidentId"] = d.IncidentId,
            ["RecipientId"] = d.RecipientId,
            ["ForceCode"] = d.ForceCode,
            ["IncidentReference"] = d.IncidentReference,
            ["La"] = facts?.La,
            ["RiskLevel"] = facts?.RiskLevel,
            ["ReceivedAt"] = d.CreatedAt,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [AwaitingPartition]);

    /// <summary>
    /// Table <c>DecisionsMade</c>, partition <c>made</c>, row = the MASH's notification id: every incident a MASH has
    /// decided on, with its latest decision's outcome, whether joint, and the times the decision report measures (no text).
    /// </summary>
    public static readonly RowView Made = new("decisions-made", StorageNames.DecisionsMadeTable, d => d.Decided is not null,
        d => (MadePartition, d.NotificationId),
        (d, facts) => new Dictionary<string, object?>
        {
            ["IncidentId"] = d.IncidentId,
            ["RecipientId"] = d.RecipientId,
            ["ForceCode"] = d.ForceCode,
            ["La"] = facts?.La,
            ["RiskLevel"] = facts?.RiskLevel,
            ["ReportedAt"] = facts?.ReportedAt,
            ["ReceivedAt"] = d.CreatedAt,
            ["Outcome"] = d.Decided!.Outcome,
            ["Joint"] = d.Decided.Joint,
            ["DecidedAt"] = d.Decided.DecidedAt,
            ["Version"] = d.Decided.Version,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [MadePartition]);

    /// <summary>
    /// Table <c>DecisionFollowUps</c>, partition <c>follow-ups</c>, row = notification id: every follow-up of a decision —
    /// each version shared, each next step, each challenge — with its receipt's times (ids, codes and times only: what the
    /// decision report counts, never what was decided or why).
    /// </summary>
    public static readonly RowView FollowUps = new("decision-follow-ups", StorageNames.DecisionFollowUpsTable,
        d => d.Kind is DeliveryKinds.Decision or DeliveryKinds.NextStep or DeliveryKinds.Challenge,
        d => (FollowUpsPartition, d.NotificationId),
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
            ["ReceivedAt"] = facts?.ReceivedAt,
            ["CreatedAt"] = d.CreatedAt,
            ["DueAt"] = d.DueAt,
            ["AcknowledgedAt"] = d.Receipt.Acknowledged?.At,
            ["LateAt"] = d.LateAt,
            ["ChallengerType"] = d.Kind == DeliveryKinds.Challenge ? Domain.Decisions.FollowUps.ChallengeOf(d)?.ChallengerType : null,
            ["Answer"] = d.Answer,
        },
        row => NotificationId.TryParse(row.RowKey, out var i, out var r) ? (i, r) : null,
        [FollowUpsPartition]);
}
