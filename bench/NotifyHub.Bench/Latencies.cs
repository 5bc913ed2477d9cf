namespace NotifyHub.Bench;

/// <summary>Latency samples of one run and its throughput.</summary>
public sealed record Latencies(string Name, IReadOnlyList<double> Milliseconds, TimeSpan Elapsed)
{
    public double PerSecond => Milliseconds.Count / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);

    private double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times with <paramref name="concurrency"/> workers.</summary>
    public static async Task<Latencies> MeasureAsync(string name, int count, int concurrency, Func<int, Task> operation)
    {
        var samples = new double[count];
        var next = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                await operation(i);
                samples[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        return new Latencies(name, samples, clock.Elapsed);
    }
}
