namespace NotifyHub.DevHost.Queues;

/// <summary>
/// The queue listener's polling delay (RandomizedExponentialBackoffStrategy): 100 ms after a
/// message, then after the n-th empty poll in a row 100 ms + rand(0.8–1.2) × 2^(n−1) × 100 ms,
/// capped at maxPollingInterval.
/// </summary>
internal sealed class PollingBackoff(TimeSpan maximum, Func<double> random)
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(100);
    private int _emptyPolls;

    public PollingBackoff(TimeSpan maximum) : this(maximum, Random.Shared.NextDouble) { }

    /// <summary>A message was found: poll again at the minimum delay.</summary>
    public TimeSpan Found()
    {
        _emptyPolls = 0;
        return Minimum;
    }

    /// <summary>The queue was empty: the delay before the next poll.</summary>
    public TimeSpan Empty()
    {
        _emptyPolls++;
        return Delay(_emptyPolls, maximum, 0.8 + 0.4 * random());
    }

    /// <summary>The delay after <paramref name="emptyPolls"/> empty polls, with <paramref name="jitter"/> in [0.8, 1.2].</summary>
    public static TimeSpan Delay(int emptyPolls, TimeSpan maximum, double jitter)
    {
        if (emptyPolls <= 0) return Minimum;
        // Past 2^30 the cap has long been reached; avoid overflowing the exponent.
        var factor = Math.Pow(2, Math.Min(emptyPolls - 1, 30));
        var delay = Minimum + TimeSpan.FromMilliseconds(jitter * factor * Minimum.TotalMilliseconds);
        return delay < maximum ? delay : maximum;
    }
}
