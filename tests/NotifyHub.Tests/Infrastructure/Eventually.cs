namespace NotifyHub.Tests.Infrastructure;

/// <summary>Waits for an eventual condition with a generous, bounded deadline and a clear failure.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Gave up after {(timeout ?? DefaultTimeout).TotalSeconds:0} s waiting for {what}. Last value: {Describe(value)}");
            await Task.Delay(100);
        }
    }

    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(probe()), done, what, timeout);

    private static string Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string
            ? $"[{string.Join(", ", items.Cast<object?>())}]"
            : value?.ToString() ?? "null";
}
