using NotifyHub.Domain.Ledger;

namespace NotifyHub.Domain.Decisions;

/// <summary>
/// The decisions about a MASH's decisions, pure functions of what the incident's ledger holds: recording one is a new
/// version (never an edit) and the event that records it — ids, codes, counts and times, never the rationale.
/// </summary>
public static class DecisionChanges
{
    /// <summary>
    /// The change recording <paramref name="request"/> as <paramref name="decisionId"/>: the new version, the MASH's delivery
    /// now showing it as the latest (so the incident leaves the list awaiting a decision), and the event; or no change when
    /// that id is already stored (a retried request).
    /// </summary>
    public static (MashDecision Decision, Delivery.DeliveryRecord Mash, LedgerEvent? Event) Record(IReadOnlyList<MashDecision> stored,
        Delivery.DeliveryRecord mash, DecisionRequest request, string decisionId, string keyId, DateTimeOffset now)
    {
        var mashId = mash.RecipientId;
        if (stored.FirstOrDefault(d => d.DecisionId == decisionId) is { } done) return (done, mash, null);
        var version = stored.Count == 0 ? 1 : stored.Max(d => d.Version) + 1;
        var decision = new MashDecision(decisionId, version, request.Outcome, request.Children, request.DecidedAt, request.Joint, request.JointWith,
            request.Rationale, request.NextSteps, mashId, keyId, now);
        var recorded = LedgerEvent.Of(LedgerEventTypes.DecisionRecorded, now, mashId,
            ("decisionId", decisionId), ("version", (long)version), ("outcome", request.Outcome), ("mash", mashId),
            ("decidedAt", request.DecidedAt), ("joint", request.Joint), ("children", (long)request.Children.Count), ("nextSteps", (long)request.NextSteps.Count));
        return (decision, mash with { Decided = new Delivery.DecisionMade(version, request.Outcome, now, request.DecidedAt, request.Joint) }, recorded);
    }

    /// <summary>
    /// The retention purge of one version: its rationale and its next steps' actions go (they are free text and may name
    /// people); the outcome, the owners, the dates and the counts stay. None when already purged.
    /// </summary>
    public static (MashDecision Decision, LedgerEvent? Event) PurgeText(MashDecision decision, DateTimeOffset now)
    {
        if (decision.RationalePurgedAt is not null) return (decision, null);
        var purged = decision with
        {
            Rationale = null, NextSteps = [.. decision.NextSteps.Select(s => s with { Action = null })], RationalePurgedAt = now,
        };
        return (purged, LedgerEvent.Of(LedgerEventTypes.DecisionTextPurged, now, decision.RecordedBy, ("decisionId", decision.DecisionId), ("version", (long)decision.Version)));
    }
}
