namespace NotifyHub.Domain.Delivery;

/// <summary>
/// The facts of an incident that its shares are judged and reported by — ids, codes and times only — recorded once on
/// its ledger when it is routed.
/// </summary>
public sealed record IncidentFacts(
    string ForceCode, string IncidentReference, string La, string RiskLevel, DateTimeOffset ReportedAt, DateTimeOffset OccurredAt,
    DateTimeOffset? AttendedAt, DateTimeOffset ReceivedAt);

/// <summary>When a delivery falls due and by which rule; guessed when the calendars could not say.</summary>
public sealed record DueInfo(DateTimeOffset At, string Rule, bool Guessed);

/// <summary>One escalation email recorded on a delivery: to whom (a key, never an address) and how it went.</summary>
/// <param name="To"><c>recipient</c> for the reminder; <c>{lead organisation id}#{key}</c> for an alert to an escalation contact.</param>
public sealed record EscalationSent(string To, string Outcome, DateTimeOffset At);

/// <summary>
/// One delivery — one incident to one recipient — as its ledger holds it now: who it is for and why, its receipt, and
/// the bookkeeping that keeps sending safe. It changes only through <see cref="DeliveryChanges"/>, each change an event
/// recorded with it (docs/architecture.md, "The ledger").
/// </summary>
/// <param name="Sequence">Which queue message is current: a message carrying another number is stale and is dropped.</param>
/// <param name="ClaimedUntil">An attempt in progress holds the delivery until then.</param>
/// <param name="OpenAttempt">The attempt claimed and not yet ended: a retry after a crash finishes it rather than start another.</param>
/// <param name="LinkNonce">Binds email links to this delivery; a new nonce revokes every link sent so far.</param>
/// <param name="RequeuedUntil">Reconciliation queued its message again; it does not again before then.</param>
/// <param name="Escalations">The escalation emails sent (or refused for good), one per addressee.</param>
public sealed record DeliveryRecord(
    string IncidentId, string RecipientId, string RecipientType, string RecipientName, string Rule, IReadOnlyList<int> Children,
    IReadOnlyList<int> Adults, int PriorIncidents, string? ForceCode, string? IncidentReference, DateTimeOffset CreatedAt, ReceiptState Receipt,
    int Sequence, DateTimeOffset? ClaimedUntil, int? OpenAttempt, string? LinkNonce, DateTimeOffset? FirstOpenedAt, DueInfo? Due,
    DateTimeOffset? LateAt, IReadOnlyList<EscalationSent> Escalations, DateTimeOffset? RequeuedUntil, DateTimeOffset? ContentPurgedAt)
{
    /// <summary>An escalation in progress holds the delivery's escalation emails until then (so two never send at once).</summary>
    public DateTimeOffset? EscalatingUntil { get; init; }

    /// <summary>A challenge, or a response to one: who raised it, against which version, and the challenger's type (<c>{organisation} d{version} {type}</c>).</summary>
    public string? Regarding { get; init; }

    /// <summary>A challenge: the MASH's answer (<c>upheld</c> or <c>not-upheld</c>) once given. An invitation: the invitee's answer (<c>attending</c>, …).</summary>
    public string? Answer { get; init; }

    /// <summary>An invitation: when the invitee first sent information for the discussion.</summary>
    public DateTimeOffset? InformedAt { get; init; }

    /// <summary>An invitation: whether the invitee attended, as the chair recorded it when the discussion was held.</summary>
    public bool? Attended { get; init; }

    /// <summary>What is due from a strategy discussion's chair: when the chair says it was held (the receipt's acknowledgement is when that was recorded).</summary>
    public DateTimeOffset? HeldAt { get; init; }

    /// <summary>A MASH's delivery: the latest decision it has recorded about the incident (none: the incident awaits one).</summary>
    public DecisionMade? Decided { get; init; }

    /// <summary>A share sent through the LA front door (docs/routing.md): held for its relay's review, then released or withheld.</summary>
    public FrontDoorHold? Hold { get; init; }

    /// <summary>Held at the front door: not yet released to its recipient, so nothing is sent and the recipient does not see it.</summary>
    public bool IsHeld => Hold?.State == HoldStates.Held;

    /// <summary>Withheld at the front door, with a reason: never sent, and counted as withheld rather than late or missing.</summary>
    public bool IsWithheld => Hold?.State == HoldStates.Withheld;

    /// <summary>Its recipient has it (or will): sent directly, or released through the front door. Only then does the recipient see it.</summary>
    public bool WithRecipient => Hold is null || Hold.State is HoldStates.Released or HoldStates.AutoReleased;

    /// <summary>
    /// Nothing more is owed on it: a withheld share, or a front-door review the hub released on its own once it was late
    /// (the relay did not review it; its lateness stays on the record).
    /// </summary>
    public bool Closed => IsWithheld || (Kind == DeliveryKinds.RelayReview && Answer == HoldStates.AutoReleased);

    /// <summary>A MASH's delivery whose incident has no decision yet (docs/decisions.md).</summary>
    public bool AwaitsDecision => RecipientType == Directory.OrganisationTypes.Mash && Kind == DeliveryKinds.Incident && Decided is null;

    /// <summary>What it is about (<see cref="DeliveryKinds"/>): read from its key.</summary>
    public string Kind => DeliveryKey.KindOf(RecipientId) ?? DeliveryKinds.Incident;

    /// <summary>The organisation it is addressed to (its directory id).</summary>
    public string OrganisationId => DeliveryKey.OrganisationOf(RecipientId);

    public string NotificationId => Delivery.NotificationId.Format(IncidentId, RecipientId);

    public DateTimeOffset? DueAt => Due?.At;

    /// <summary>Nothing more is to be sent, and no attempt waits in the inbox: reconciliation has nothing to look for.</summary>
    public bool IsOpen => !DeliveryStatus.IsFinal(Receipt.Status) && Receipt.NextAttemptAt is not null;

    /// <summary>Still to be judged on time or late: due, not marked late, and not acknowledged by its due time.</summary>
    public bool AwaitsJudgement => Due is { } due && LateAt is null && !Closed && !(Receipt.Acknowledged is { } ack && ack.At <= due.At);

    /// <summary>On the open late list: marked late and not acknowledged.</summary>
    public bool IsOpenLate => LateAt is not null && Receipt.Acknowledged is null && !Closed;

    public bool Escalated(string to) => Escalations.Any(e => e.To == to);

    /// <summary>A new delivery, as routing makes it: pending, due for its first attempt at once, channels chosen at that attempt.</summary>
    public static DeliveryRecord New(string incidentId, string recipientId, string recipientType, string recipientName, string rule, IReadOnlyList<int> children,
        IReadOnlyList<int> adults, int priorIncidents, string? forceCode, string? incidentReference, DueInfo? due, DateTimeOffset now) =>
        new(incidentId, recipientId, recipientType, recipientName, rule, children, adults, priorIncidents, forceCode, incidentReference, now,
            new ReceiptState(DeliveryStatus.Pending, [], 0, 0, 0, now, null, null, null, null), 0, null, null, null, null, due, null, [], null, null);
}

/// <summary>The latest decision a MASH recorded about an incident, as its delivery keeps it: version, outcome, when recorded, when decided, whether jointly.</summary>
public sealed record DecisionMade(int Version, string Outcome, DateTimeOffset RecordedAt, DateTimeOffset DecidedAt = default, bool Joint = false);

/// <summary>Where a share sent through the LA front door stands (<see cref="FrontDoorHold.State"/>).</summary>
public static class HoldStates
{
    public const string Held = "held";
    public const string Released = "released";
    public const string AutoReleased = "auto-released";
    public const string Withheld = "withheld";

    public static readonly IReadOnlyList<string> All = [Held, Released, AutoReleased, Withheld];
}

/// <summary>
/// A share's hop through the LA front door: the relay's review of it (its delivery key), the relay, whether the area
/// releases it automatically when the relay is late, when its release is due, and what became of it — <c>held</c>,
/// <c>released</c>, <c>auto-released</c> or <c>withheld</c> (with the reason's code) — when, and whether in time.
/// </summary>
/// <param name="OnTime">Once decided: whether the relay decided by its release time and before its review was judged late.</param>
public sealed record FrontDoorHold(string Review, string Via, bool AutoRelease, DateTimeOffset ReleaseDueAt, string State, DateTimeOffset? At = null,
    string? Reason = null, bool? OnTime = null);
