using NotifyHub.Domain.Delivery;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// The retry schedule bends to the due time: a delivery still not delivered whose next retry would come later than
/// <c>lead</c> before its due time moves to its fallback channel now, rather than spend the time it has left waiting
/// on a channel that keeps failing (a school's webhook down overnight → the secure email goes before 08:30).
/// </summary>
public static class DeadlineAwareRetry
{
    public static ReceiptState Bend(ReceiptState state, DateTimeOffset? dueAt, TimeSpan lead, DateTimeOffset now)
    {
        if (dueAt is not { } due || state.NextAttemptAt is not { } next) return state;
        if (state.DeliveredAt is not null || state.Acknowledged is not null || state.FailedAt is not null) return state;
        if (state.ChannelIndex >= state.Channels.Count - 1) return state; // no fallback left
        if (next <= due - lead) return state; // the next retry still comes in good time
        return state with { ChannelIndex = state.ChannelIndex + 1, FailuresOnChannel = 0, NextAttemptAt = now };
    }
}
