namespace NotifyHub.Domain.Delivery;

/// <summary>
/// When the hub tries again, published as data (and in docs/delivery.md): the first attempt at once, then waits of
/// 10 s, 1 min, 5 min, 15 min and 30 min, then an hour, each counted from the end of the attempt before; each retry
/// is a queue message sent with that visibility delay and no expiry. A channel is given up after <see cref="AttemptsPerChannel"/> failed attempts (or at once on a
/// permanent failure), and the next channel starts from the top of the schedule.
/// </summary>
public sealed record RetrySchedule(IReadOnlyList<TimeSpan> Delays, TimeSpan Thereafter, int AttemptsPerChannel, TimeSpan LongestRetryAfter)
{
    /// <summary>Delays between attempts: before the 2nd, the 3rd, ... attempt on a channel.</summary>
    public static readonly IReadOnlyList<TimeSpan> StandardDelays =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
    ];

    public static RetrySchedule Standard(int attemptsPerChannel) =>
        new(StandardDelays, TimeSpan.FromHours(1), attemptsPerChannel, TimeSpan.FromHours(6));

    /// <summary>How long to wait before attempt number <paramref name="attempt"/> (1-based) on a channel: none before the first.</summary>
    public TimeSpan DelayBefore(int attempt) =>
        attempt <= 1 ? TimeSpan.Zero : attempt - 2 < Delays.Count ? Delays[attempt - 2] : Thereafter;
}
