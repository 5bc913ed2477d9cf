using System.Collections.Concurrent;

namespace NotifyHub.Storage;

/// <summary>
/// Reads kept for a few seconds by a store that owns what it reads: routing's reads of the directory
/// (<see cref="Organisations.DirectoryStore"/>), delivery's reads of webhook endpoints. Every write through the store
/// forgets them all as it ends, so a change made through the hub applies at once on the instance that made it; another
/// instance sees it once the kept reads lapse. A read that began before a write ended is never kept after it (each entry
/// carries the generation it was read in).
/// </summary>
internal sealed class KeptReads(TimeProvider time, TimeSpan keepFor)
{
    /// <summary>More entries than any directory has keys and organisations: past it, start again rather than grow.</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    private sealed record Entry(long Generation, DateTimeOffset Until, object? Value);

    public bool Enabled => keepFor > TimeSpan.Zero;

    /// <summary>The generation a read starts in: what it finds is kept only if no write ended meanwhile.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet<T>(string key, out T? value) where T : class
    {
        if (Enabled && _entries.TryGetValue(key, out var entry) && entry.Generation == Generation && entry.Until > time.GetUtcNow())
        {
            value = (T?)entry.Value;
            return true;
        }
        value = null;
        return false;
    }

    public void Keep(string key, object? value, long generation)
    {
        if (!Enabled || generation != Generation) return;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = new Entry(generation, time.GetUtcNow() + keepFor, value);
    }

    /// <summary>Runs a write through the owning store, then forgets everything kept (whether or not the write succeeded).</summary>
    public async Task<T> WritingAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        finally
        {
            Interlocked.Increment(ref _generation);
            _entries.Clear();
        }
    }
}
