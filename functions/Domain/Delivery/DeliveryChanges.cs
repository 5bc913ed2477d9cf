using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Timeliness;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Domain.Delivery;

/// <summary>What a decision about one delivery came to: its new state and the events that record the change (none: nothing changed).</summary>
public sealed record Decision(DeliveryRecord Record, IReadOnlyList<LedgerEvent> Events, string? Refused = null)
{
    public bool Changed => Events.Count > 0;

    public static Decision None(DeliveryRecord record, string? refused = null) => new(record, [], refused);
}

/// <summary>How one attempt went, as its record and its event keep it (never the payload; the response only in the purgeable record).</summary>
public sealed record AttemptResult(
    int Number, string Channel, DateTimeOffset StartedAt, long DurationMs, AttemptOutcome Outcome, int? HttpStatus = null, string? SmtpReply = null,
    string? Response = null)
{
    public string OutcomeName => Outcome switch
    {
        { Kind: OutcomeKind.Delivered, WaitForPull: true } => "available-in-inbox",
        { Kind: OutcomeKind.Delivered } => "delivered",
        { Kind: OutcomeKind.Permanent } => "permanent-failure",
        _ => "failed",
    };
}

/// <summary>
/// Every change to a delivery, as a pure function of its state, what happened and the time: the new state and the
/// events that record it (<see cref="LedgerEventTypes"/>). The ledger writes both in one transaction; nothing else changes a
/// delivery. A change that does not apply (already done, or refused) answers no events, so repeating one is harmless.
/// </summary>
public static class DeliveryChanges
{
    /// <summary>Routing made the delivery.</summary>
    public static Decision Route(DeliveryRecord record) =>
        new(record, [LedgerEvent.Of(E.DeliveryRouted, record.CreatedAt, record.RecipientId, ("recipientType", record.RecipientType), ("rule", record.Rule),
            ("children", string.Join(',', record.Children)), ("adults", string.Join(',', record.Adults)), ("dueAt", record.Due?.At),
            ("dueRule", record.Due?.Rule), ("dueGuessed", record.Due?.Guessed))]);

    /// <summary>
    /// Claims the delivery for an attempt until <paramref name="now"/> + <paramref name="claimFor"/>. The attempt is a new
    /// one; or, when an earlier attempt was claimed and never ended (its process died, or its end could not be saved), that
    /// same attempt again — so a retry sends it with the same ids (webhook-id, Message-ID) rather than as another.
    /// </summary>
    /// <param name="channels">The recipient's channels (<see cref="ChannelPlan"/>), fixed at the first attempt.</param>
    public static Decision Claim(DeliveryRecord record, IReadOnlyList<string> channels, DateTimeOffset now, TimeSpan claimFor, string newNonce)
    {
        var receipt = record.Receipt.Channels.Count == 0 ? record.Receipt with { Channels = channels.Count == 0 ? [DeliveryChannels.Inbox] : channels } : record.Receipt;
        if (record.ClaimedUntil > now) return Decision.None(record, "an attempt in progress holds it");
        if (record.OpenAttempt is { } open && receipt.Status == DeliveryStatus.Sending && receipt.NextAttemptAt is not null)
        {
            var resumed = record with { Receipt = receipt, ClaimedUntil = now + claimFor, LinkNonce = record.LinkNonce ?? newNonce };
            return new(resumed, [LedgerEvent.Of(E.AttemptStarted, now, record.RecipientId, ("attempt", open), ("channel", receipt.Channel),
                ("sequence", record.Sequence), ("resumed", true))]);
        }
        var started = Receipt.AttemptStarted(receipt);
        if (!started.Changed) return Decision.None(record, started.Refused);
        var claimed = record with
        {
            Receipt = started.State,
            ClaimedUntil = now + claimFor,
            OpenAttempt = started.State.Attempts,
            LinkNonce = record.LinkNonce ?? newNonce,
        };
        return new(claimed, [LedgerEvent.Of(E.AttemptStarted, now, record.RecipientId, ("attempt", started.State.Attempts), ("channel", started.State.Channel),
            ("sequence", record.Sequence))]);
    }

    /// <summary>
    /// Ends attempt <see cref="AttemptResult.Number"/> with its outcome: the receipt moves on (<see cref="Receipt.AttemptEnded"/>,
    /// bent to the due time by <see cref="DeadlineAwareRetry"/>), the claim is given back, and a next attempt, if due, gets a
    /// new sequence number. If the delivery was delivered or acknowledged meanwhile (the recipient fetched it), the receipt
    /// stays as it is and only the attempt is recorded. An attempt already ended changes nothing.
    /// </summary>
    public static Decision EndAttempt(DeliveryRecord record, AttemptResult attempt, DateTimeOffset now, RetrySchedule schedule, TimeSpan fallbackLead)
    {
        if (record.OpenAttempt != attempt.Number) return Decision.None(record, $"attempt {attempt.Number} is not open");
        var before = record.Receipt;
        if (before.Status != DeliveryStatus.Sending)
        {
            return new(record with { ClaimedUntil = null, OpenAttempt = null }, [Ended(record, attempt, now, null)]);
        }
        var ended = Receipt.AttemptEnded(before, attempt.Outcome, now, schedule).State;
        var state = DeadlineAwareRetry.Bend(ended, record.DueAt, fallbackLead, now);
        var next = record with
        {
            Receipt = state,
            ClaimedUntil = null,
            OpenAttempt = null,
            Sequence = state.NextAttemptAt is null ? record.Sequence : record.Sequence + 1,
        };
        var events = new List<LedgerEvent> { Ended(next, attempt, now, state.NextAttemptAt) };
        if (state.ChannelIndex != before.ChannelIndex && state.Status != DeliveryStatus.Failed)
        {
            events.Add(LedgerEvent.Of(E.ChannelChanged, now, record.RecipientId, ("from", before.Channel), ("to", state.Channel),
                ("reason", state.FailureReason ?? "the due time is near")));
        }
        if (state.Status == DeliveryStatus.Delivered && before.Status != DeliveryStatus.Delivered)
            events.Add(LedgerEvent.Of(E.Delivered, now, record.RecipientId, ("how", "accepted"), ("channel", attempt.Channel)));
        if (state.Status == DeliveryStatus.Failed)
            events.Add(LedgerEvent.Of(E.Failed, now, record.RecipientId, ("reason", state.FailureReason)));
        return new(next, events);
    }

    private static LedgerEvent Ended(DeliveryRecord after, AttemptResult attempt, DateTimeOffset now, DateTimeOffset? nextAttemptAt) =>
        LedgerEvent.Of(E.AttemptEnded, now, after.RecipientId, ("attempt", attempt.Number), ("channel", attempt.Channel), ("outcome", attempt.OutcomeName),
            ("httpStatus", attempt.HttpStatus), ("errorClass", attempt.Outcome.ErrorClass), ("durationMs", attempt.DurationMs),
            ("startedAt", attempt.StartedAt), ("nextAttemptAt", nextAttemptAt), ("sequence", nextAttemptAt is null ? null : after.Sequence));

    /// <summary>
    /// The recipient's own system fetched it with its API key (<paramref name="how"/>: <c>fetched</c>): proof that it arrived;
    /// nothing more is sent.
    /// </summary>
    public static Decision Retrieve(DeliveryRecord record, DateTimeOffset now, string how)
    {
        var change = Receipt.Retrieved(record.Receipt, now);
        return change.Changed
            ? new(record with { Receipt = change.State }, [LedgerEvent.Of(E.Delivered, now, record.RecipientId, ("how", how))])
            : Decision.None(record);
    }

    /// <summary>
    /// A person opened it from an email link and asked to see it on the page (a POST: a mail gateway that fetches every
    /// link opens nothing). The first opening is kept; it is also proof of delivery.
    /// </summary>
    public static Decision Open(DeliveryRecord record, DateTimeOffset now)
    {
        var events = new List<LedgerEvent>();
        var next = record;
        if (record.FirstOpenedAt is null)
        {
            next = next with { FirstOpenedAt = now };
            events.Add(LedgerEvent.Of(E.Opened, now, record.RecipientId));
        }
        var retrieved = Retrieve(next, now, "opened");
        return new(retrieved.Record, [.. events, .. retrieved.Events]);
    }

    /// <summary>A person at the recipient acknowledged it (<paramref name="how"/>: <c>api</c> or <c>email-link</c>); the first acknowledgement stands.</summary>
    public static Decision Acknowledge(DeliveryRecord record, AcknowledgedBy by, DateTimeOffset now, string how)
    {
        var change = Receipt.Acknowledge(record.Receipt, by.Name, by.Role, now);
        if (!change.Changed) return Decision.None(record);
        var events = new List<LedgerEvent>();
        if (record.Receipt.DeliveredAt is null) events.Add(LedgerEvent.Of(E.Delivered, now, record.RecipientId, ("how", "acknowledged")));
        // The role is a job title (it is shown to the force); the person's name stays on the delivery, which the retention purge clears.
        events.Add(LedgerEvent.Of(E.Acknowledged, now, record.RecipientId, ("role", by.Role), ("how", how),
            ("byDue", record.DueAt is { } due ? now <= due : null), ("kind", record.Kind == DeliveryKinds.Incident ? null : record.Kind)));
        return new(record with { Receipt = change.State }, events);
    }

    /// <summary>
    /// The lateness monitor found it past its due time without an acknowledgement by then: marked late once. A share
    /// acknowledged after its due time is late too, and is marked so, but nobody needs chasing.
    /// </summary>
    public static Decision MarkLate(DeliveryRecord record, DateTimeOffset now)
    {
        if (!record.AwaitsJudgement || record.DueAt is not { } due || due > now) return Decision.None(record);
        return new(record with { LateAt = now }, [LedgerEvent.Of(E.MarkedLate, now, record.RecipientId, ("dueAt", due),
            ("acknowledged", record.Receipt.Acknowledged is not null))]);
    }

    /// <summary>
    /// The escalation of a late share begins: it holds the share's escalation emails until <paramref name="now"/> +
    /// <paramref name="claimFor"/>, so two escalations of it (its message twice, two instances) never send at once; one whose
    /// process died is taken again once that has passed, and sends only what is not yet recorded.
    /// </summary>
    public static Decision StartEscalation(DeliveryRecord record, DateTimeOffset now, TimeSpan claimFor)
    {
        if (record.LateAt is null || record.Receipt.Acknowledged is not null) return Decision.None(record, "not late, or acknowledged");
        if (record.EscalatingUntil > now) return Decision.None(record, "an escalation in progress holds it");
        return new(record with { EscalatingUntil = now + claimFor }, [LedgerEvent.Of(E.EscalationStarted, now, record.RecipientId)]);
    }

    /// <summary>An escalation email went (or was refused for good) to <paramref name="to"/>: recorded once per addressee.</summary>
    public static Decision Escalated(DeliveryRecord record, string to, string outcome, DateTimeOffset now)
    {
        if (record.Escalated(to)) return Decision.None(record);
        var type = to == EscalationTargets.Recipient ? E.ReminderSent : E.AlertSent;
        return new(record with { Escalations = [.. record.Escalations, new EscalationSent(to, outcome, now)] },
            [LedgerEvent.Of(type, now, record.RecipientId, ("to", to), ("outcome", outcome))]);
    }

    /// <summary>Every email link sent so far stops working (a new nonce; later emails carry links with it).</summary>
    public static Decision RevokeLinks(DeliveryRecord record, string newNonce, DateTimeOffset now) =>
        new(record with { LinkNonce = newNonce }, [LedgerEvent.Of(E.LinksRevoked, now, record.RecipientId)]);

    /// <summary>The retention period has passed: the projected content, the acknowledging person's name and what receivers answered go.</summary>
    public static Decision PurgeContent(DeliveryRecord record, DateTimeOffset now)
    {
        if (record.ContentPurgedAt is not null) return Decision.None(record);
        var receipt = record.Receipt.Acknowledged is { } ack ? record.Receipt with { Acknowledged = ack with { Name = "" } } : record.Receipt;
        return new(record with { ContentPurgedAt = now, Receipt = receipt }, [LedgerEvent.Of(E.ContentPurged, now, record.RecipientId)]);
    }

    /// <summary>
    /// Reconciliation: the delivery's next attempt is <paramref name="overdueBy"/> overdue and no attempt holds it, so its
    /// message was lost — queued again, and not again until <paramref name="claimFor"/> has passed.
    /// </summary>
    public static Decision Requeue(DeliveryRecord record, DateTimeOffset now, TimeSpan overdueBy, TimeSpan claimFor)
    {
        if (!record.IsOpen || record.Receipt.NextAttemptAt is not { } next || now - next < overdueBy) return Decision.None(record, "not overdue");
        if (record.ClaimedUntil > now) return Decision.None(record, "an attempt in progress holds it");
        if (record.RequeuedUntil > now) return Decision.None(record, "queued again recently");
        return new(record with { RequeuedUntil = now + claimFor }, [LedgerEvent.Of(E.MessageRequeued, now, record.RecipientId, ("sequence", record.Sequence))]);
    }
}

/// <summary>Who an escalation email goes to, as the ledger names them (keys, never addresses).</summary>
public static class EscalationTargets
{
    public const string Recipient = "recipient";

    /// <summary>An escalation contact of partnership lead <paramref name="leadId"/>: a short keyed hash of the address, so a retry knows whom it has alerted without storing who.</summary>
    public static string Contact(string leadId, string addressKey) => $"{leadId}#{addressKey}";
}
