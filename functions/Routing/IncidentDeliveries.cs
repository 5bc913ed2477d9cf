using Microsoft.Extensions.Options;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Timeliness;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Ledger;

namespace NotifyHub.Routing;

/// <summary>
/// One delivery as the incident's status shows it: what it is (<see cref="DeliveryKinds"/>: the incident's share, or a
/// follow-up of the MASH's decision), who, why, and its receipt — status, channel, attempts, when it was delivered and
/// acknowledged and the acknowledging role (never the person's name), or why it failed.
/// </summary>
public sealed record DeliverySummary(string NotificationId, string RecipientId, string RecipientType, string RecipientName, string Rule, string Status,
    IReadOnlyList<int> Children, int PriorIncidentsLast12Months, string? Channel, int Attempts, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedByRole, string? FailureReason, IReadOnlyList<AttemptSummary> AttemptLog,
    DateTimeOffset? DueAt = null, string? DueRule = null, bool? DueGuessed = null, DateTimeOffset? LateAt = null, long? LateBySeconds = null,
    string Kind = DeliveryKinds.Incident, FrontDoorStatus? FrontDoor = null);

/// <summary>
/// A share's hop through the LA front door, on both the share and its review: the relay, what became of the share
/// (<c>held</c>, <c>released</c>, <c>auto-released</c>, <c>withheld</c>) and when, with the reason if withheld; when its release
/// is due; whether it goes on by itself when late; and the two notifications (the share and the relay's review).
/// </summary>
public sealed record FrontDoorStatus(string Via, string State, DateTimeOffset ReleaseDueAt, bool AutoReleaseWhenLate, DateTimeOffset? At, string? Reason,
    string ShareId, string ReviewId)
{
    public static FrontDoorStatus? Of(DeliveryRecord d, IncidentLedger ledger)
    {
        var share = d.Kind == DeliveryKinds.RelayReview ? ledger.Delivery(d.Regarding ?? "") : d;
        return share?.Hold is { } h
            ? new FrontDoorStatus(h.Via, h.State, h.ReleaseDueAt, h.AutoRelease, h.At, h.Reason, share.NotificationId, NotificationId.Format(share.IncidentId, h.Review))
            : null;
    }
}

/// <summary>One attempt as the force and the recipient see it: when, on which channel, how it ended — never the receiver's response or the SMTP reply.</summary>
public sealed record AttemptSummary(int Number, string Channel, DateTimeOffset StartedAt, long DurationMs, string Outcome, int? HttpStatus, string? ErrorClass)
{
    public static AttemptSummary Of(AttemptEntry a) =>
        new(a.Attempt.Number, a.Attempt.Channel, a.Attempt.StartedAt, a.Attempt.DurationMs, a.Outcome, a.Attempt.HttpStatus, a.ErrorClass);
}

/// <summary>One delivery routing is about to make: who, what they may see, and when it is due; and its hop through the LA front door, if it has one.</summary>
public sealed record PlannedWrite(PlannedDelivery Delivery, DeliveryContent Content, DueTime Due, RelayedWrite? Relayed = null);

/// <summary>A share's hop through the LA front door: the relay, the review's number within the incident, and the relay's own projection of the incident.</summary>
public sealed record RelayedWrite(Domain.FrontDoor.RelayHop Hop, int Number, DeliveryContent RelayContent);

/// <summary>One share that could not be routed, and why.</summary>
public sealed record UnroutedSummary(string Rule, string RecipientType, int? Child, int? Adult, string Reason, string Description);

/// <summary>
/// An incident's deliveries and unrouted shares, on its ledger (<see cref="LedgerStore"/>): routing records them — each
/// delivery with its projected content and due time, each unrouted share with why — as events in one commit, and the
/// views and the first attempts' message follow from applying it. Recording again (a retried routing) adds only what is
/// missing, so it neither duplicates a delivery nor resets its progress.
/// </summary>
public sealed class IncidentDeliveries(LedgerStore ledger, LedgerWriter writer, IOptions<TimelinessOptions> timeliness, TimeProvider time)
{
    /// <param name="firstAttempt">
    /// No routing of this incident has reached its ledger before (its decision was recorded by this attempt's claim): the
    /// ledger is empty, so it is not read first. Were it not, the commit would find out (the head exists) and read it.
    /// </param>
    public async Task RecordAsync(string incidentId, RoutingDecision decision, IReadOnlyList<PlannedWrite> planned, IncidentFacts facts, bool firstAttempt,
        CancellationToken ct)
    {
        LedgerWrite Decide(IncidentLedger current)
        {
            var now = time.GetUtcNow();
            var write = new LedgerWrite { Facts = current.Facts is null ? facts : null };
            foreach (var (delivery, content, due, relayed) in planned)
            {
                var recipient = delivery.Recipient;
                if (current.Delivery(recipient.Id) is not null) continue;
                var record = DeliveryRecord.New(incidentId, recipient.Id, delivery.RecipientType, recipient.Name, delivery.Rule, delivery.ChildIndexes,
                    delivery.AdultIndexes, content.PriorIncidentsLast12Months ?? 0, content.ForceCode, content.IncidentReference,
                    new DueInfo(due.At.ToDateTimeOffset(), due.Rule.ToString(), due.Guessed), now);
                if (relayed is { } hop)
                {
                    // Through the LA front door: the share is held (not sent), and its review goes to the relay.
                    var (share, review) = FrontDoorChanges.Hold(record, hop.Hop, hop.Number, timeliness.Value.RelayReleaseMargin, now);
                    write.Add(share).Add(review);
                    write.AddContent[recipient.Id] = FrontDoorChanges.HeldContent(content, hop.Hop).ToJson();
                    write.AddContent[review.Record.RecipientId] = FrontDoorChanges.ReviewContent(hop.RelayContent, share.Record, share.Record.Hold!).ToJson();
                    continue;
                }
                write.Add(DeliveryChanges.Route(record));
                write.AddContent[recipient.Id] = content.ToJson();
                // A MASH owes a decision on what it receives: due after the policy's time, judged and escalated like a share.
                if (record.RecipientType == OrganisationTypes.Mash && current.Delivery(DeliveryKey.DecisionDue(recipient.Id)) is null)
                    write.Add(FollowUps.DecisionDue(record, timeliness.Value.DecisionDueAt(now, facts.RiskLevel), now));
            }
            var recorded = current.Unrouted.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var share in decision.Unrouted.Where(u => !recorded.Contains(u.Key)))
            {
                write.Unrouted.Add(share);
                write.Events.Add(LedgerEvent.Of(LedgerEventTypes.ShareUnrouted, now, share.Key, ("rule", share.Rule), ("recipientType", share.RecipientType),
                    ("child", share.ChildIndex), ("adult", share.AdultIndex), ("reason", share.Reason)));
            }
            return write;
        }
        Task<IncidentLedger> Read() => ledger.LoadAsync(incidentId, LedgerParts.Unrouted, null, ct);
        var current = firstAttempt ? IncidentLedger.Empty(incidentId) : await Read();
        var committed = await writer.CommitAsync(current, Decide, LedgerWriter.Options.Retried, Read, ct);
        await writer.ApplyAsync(committed, LedgerWriter.Options.Retried, ct);
    }

    /// <summary>Every delivery of an incident with its receipt and attempt log, and its unrouted shares: one partition query.</summary>
    public async Task<(IReadOnlyList<DeliverySummary> Deliveries, IReadOnlyList<UnroutedSummary> Unrouted)> ForIncidentAsync(string incidentId,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await ledger.LoadAsync(incidentId, LedgerParts.Attempts | LedgerParts.Unrouted, null, ct);
        var attempts = current.Attempts.ToLookup(a => a.RecipientId, AttemptSummary.Of);
        var deliveries = current.Deliveries.Values.OrderBy(d => d.RecipientId, StringComparer.Ordinal).Select(d =>
        {
            var r = d.Receipt;
            return new DeliverySummary(d.NotificationId, d.OrganisationId, d.RecipientType, d.RecipientName, d.Rule, r.Status, d.Children, d.PriorIncidents,
                r.Channels.Count > 0 ? r.Channel : null, r.Attempts, r.NextAttemptAt, r.DeliveredAt, r.Acknowledged?.At, r.Acknowledged?.Role, r.FailureReason,
                attempts[d.RecipientId].OrderBy(a => a.Number).ToList(), d.DueAt, d.Due?.Rule, d.Due?.Guessed, d.LateAt,
                JudgedLateBy(d.LateAt, d.DueAt, r.Acknowledged?.At, now), d.Kind, FrontDoorStatus.Of(d, current));
        }).ToList();
        var unrouted = current.Unrouted.Select(u => new UnroutedSummary(u.Rule, u.RecipientType, u.ChildIndex, u.AdultIndex, u.Reason, u.Description)).ToList();
        return (deliveries, unrouted);
    }

    /// <summary>
    /// How late the status says a share is or was: only once the SLA monitor has judged it late (<paramref name="lateAt"/>),
    /// so that <c>lateAt</c> and <c>lateBySeconds</c> are null together or set together. A share past its due time that the
    /// monitor has not reached yet (it runs every minute) shows neither: the integrator sees its <c>dueAt</c>, and the hub's
    /// judgement once it is made. Judged late by a demo clock ahead of real time, it is 0 late until real time passes its due time.
    /// </summary>
    public static long? JudgedLateBy(DateTimeOffset? lateAt, DateTimeOffset? dueAt, DateTimeOffset? acknowledgedAt, DateTimeOffset now) =>
        lateAt is null ? null : LateBy(dueAt, acknowledgedAt, now) ?? 0;

    /// <summary>How late a share is or was: acknowledged after its due time, or not acknowledged and past it ("late by 3 h 10 min").</summary>
    public static long? LateBy(DateTimeOffset? dueAt, DateTimeOffset? acknowledgedAt, DateTimeOffset now) =>
        dueAt is { } due && (acknowledgedAt ?? now) is var end && end > due ? (long)(end - due).TotalSeconds : null;
}
