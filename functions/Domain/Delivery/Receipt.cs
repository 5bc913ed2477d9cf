namespace NotifyHub.Domain.Delivery;

/// <summary>
/// Where a delivery stands. <c>pending</c>: not yet tried; <c>sending</c>: tried at least once and not yet
/// accepted (between retries, or waiting in the recipient's inbox); <c>delivered</c>: the recipient's system or
/// mail server accepted it, or the recipient fetched it; <c>acknowledged</c>: a person at the recipient confirmed
/// it; <c>failed</c>: every channel exhausted or refused it permanently (a missing share). Acknowledged is final;
/// failed is final for sending, but a recipient who still reads or acknowledges it (through the inbox) recovers it.
/// </summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Delivered, Acknowledged, Failed];

    /// <summary>Whether nothing more is to be sent: the hub stops trying.</summary>
    public static bool IsFinal(string status) => status is Delivered or Acknowledged or Failed;
}

/// <summary>The ways a notification reaches a recipient.</summary>
public static class DeliveryChannels
{
    public const string Webhook = "webhook";
    public const string Email = "email";
    public const string Inbox = "inbox";
}

/// <summary>Who acknowledged a notification, and when.</summary>
public sealed record Acknowledgement(string Name, string Role, DateTimeOffset At);

/// <summary>
/// A delivery's receipt: its status, the channels it may use in order (the first is the recipient's own, the
/// rest its fallbacks), the channel now in use and how often that channel has failed, and when the next
/// attempt is due (null: none is scheduled — final, or waiting in the inbox).
/// </summary>
public sealed record ReceiptState(
    string Status,
    IReadOnlyList<string> Channels,
    int ChannelIndex,
    int FailuresOnChannel,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    Acknowledgement? Acknowledged,
    DateTimeOffset? FailedAt,
    string? FailureReason)
{
    public string Channel => Channels[ChannelIndex];

    public static ReceiptState New(IReadOnlyList<string> channels, DateTimeOffset now) =>
        new(DeliveryStatus.Pending, channels.Count == 0 ? [DeliveryChannels.Inbox] : channels, 0, 0, 0, now, null, null, null, null);
}

/// <summary>What came of one attempt on one channel.</summary>
/// <param name="Kind">Delivered, a failure worth retrying, or a permanent failure of this channel.</param>
/// <param name="ErrorClass">A short, stable name for the failure (e.g. <c>timeout</c>, <c>http-500</c>); null when delivered.</param>
/// <param name="RetryAfter">How long the recipient asked the hub to wait (429/503 <c>Retry-After</c>).</param>
/// <param name="WaitForPull">Inbox: the notification is now available and waits for the recipient to fetch it.</param>
public sealed record AttemptOutcome(OutcomeKind Kind, string? ErrorClass, TimeSpan? RetryAfter = null, bool WaitForPull = false)
{
    public static readonly AttemptOutcome Delivered = new(OutcomeKind.Delivered, null);
    public static readonly AttemptOutcome Available = new(OutcomeKind.Delivered, null, WaitForPull: true);
    public static AttemptOutcome Transient(string errorClass, TimeSpan? retryAfter = null) => new(OutcomeKind.Transient, errorClass, retryAfter);
    public static AttemptOutcome Permanent(string errorClass) => new(OutcomeKind.Permanent, errorClass);
}

public enum OutcomeKind { Delivered, Transient, Permanent }

/// <summary>The result of applying one event to a receipt: the new state, and whether anything changed.</summary>
public sealed record ReceiptChange(ReceiptState State, bool Changed, string? Refused = null)
{
    public static ReceiptChange Same(ReceiptState state, string? refused = null) => new(state, false, refused);
}

/// <summary>
/// The receipt state machine: every change to a delivery's status goes through here, as a pure function of the
/// current state, the event and the time. <c>pending → sending → delivered → acknowledged</c>, or <c>failed</c>.
/// </summary>
public static class Receipt
{
    /// <summary>An attempt begins (the delivery has been claimed). Refused once nothing more is to be sent.</summary>
    public static ReceiptChange AttemptStarted(ReceiptState state)
    {
        if (DeliveryStatus.IsFinal(state.Status)) return ReceiptChange.Same(state, $"the delivery is {state.Status}");
        if (state.NextAttemptAt is null) return ReceiptChange.Same(state, "no attempt is scheduled: it waits in the recipient's inbox");
        return new(state with { Status = DeliveryStatus.Sending, Attempts = state.Attempts + 1 }, true);
    }

    /// <summary>
    /// An attempt ended. Delivered ends the sending. A transient failure schedules the next attempt by
    /// <paramref name="schedule"/> (never sooner than a <c>Retry-After</c>), until the channel has failed
    /// <see cref="RetrySchedule.AttemptsPerChannel"/> times; a permanent failure, or a channel that has failed that
    /// often, moves to the next channel at once; with no channel left the delivery has failed.
    /// </summary>
    public static ReceiptChange AttemptEnded(ReceiptState state, AttemptOutcome outcome, DateTimeOffset now, RetrySchedule schedule)
    {
        if (state.Status != DeliveryStatus.Sending) return ReceiptChange.Same(state, $"no attempt is in progress: the delivery is {state.Status}");
        if (outcome.Kind == OutcomeKind.Delivered)
        {
            return outcome.WaitForPull
                ? new(state with { NextAttemptAt = null }, true)
                : new(state with { Status = DeliveryStatus.Delivered, DeliveredAt = now, NextAttemptAt = null }, true);
        }

        var failures = state.FailuresOnChannel + 1;
        if (outcome.Kind == OutcomeKind.Transient && failures < schedule.AttemptsPerChannel)
        {
            var delay = schedule.DelayBefore(failures + 1);
            if (outcome.RetryAfter is { } asked && asked > delay) delay = asked < schedule.LongestRetryAfter ? asked : schedule.LongestRetryAfter;
            return new(state with { FailuresOnChannel = failures, NextAttemptAt = now + delay }, true);
        }
        var reason = $"{state.Channel}: {outcome.ErrorClass}" + (outcome.Kind == OutcomeKind.Permanent ? "" : $" after {failures} attempts");
        if (state.ChannelIndex + 1 < state.Channels.Count)
        {
            return new(state with { ChannelIndex = state.ChannelIndex + 1, FailuresOnChannel = 0, NextAttemptAt = now, FailureReason = reason }, true);
        }
        return new(state with { Status = DeliveryStatus.Failed, FailuresOnChannel = failures, NextAttemptAt = null, FailedAt = now, FailureReason = reason }, true);
    }

    /// <summary>
    /// The recipient fetched the notification (its inbox, or the page an email link opens): proof that it arrived.
    /// A delivery not yet delivered becomes delivered; otherwise nothing changes.
    /// </summary>
    public static ReceiptChange Retrieved(ReceiptState state, DateTimeOffset now) =>
        state.Status is DeliveryStatus.Delivered or DeliveryStatus.Acknowledged
            ? ReceiptChange.Same(state)
            : new(state with { Status = DeliveryStatus.Delivered, DeliveredAt = now, NextAttemptAt = null }, true);

    /// <summary>
    /// A person at the recipient acknowledged it. An acknowledgement before delivery was recorded implies
    /// delivery at the same moment; a second acknowledgement changes nothing and the first one stands.
    /// </summary>
    public static ReceiptChange Acknowledge(ReceiptState state, string name, string role, DateTimeOffset now)
    {
        if (state.Acknowledged is not null) return ReceiptChange.Same(state);
        return new(state with
        {
            Status = DeliveryStatus.Acknowledged,
            DeliveredAt = state.DeliveredAt ?? now,
            NextAttemptAt = null,
            Acknowledged = new Acknowledgement(name, role, now),
        }, true);
    }
}
