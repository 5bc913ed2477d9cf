using System.Collections.Concurrent;

namespace NotifyHub.Organisations;

/// <summary>
/// Routing's reads of the directory (which organisations an index key names, and each organisation), kept for
/// <c>Directory:RoutingCacheFor</c> (5 s by default): every incident routed in a busy minute asks about the same local
/// authorities, forces and often the same schools. Any write through <see cref="DirectoryStore"/> forgets them all as it
/// ends, so a change made through the hub applies to the next incident this instance routes; another instance sees it
/// within that time. An entry read before a write ended is never kept after it (each carries the generation it was read in).
/// </summary>
internal sealed class DirectoryLookups(TimeProvider time, TimeSpan keepFor)
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

    /// <summary>Forgets everything: called when a write to the directory ends (whether or not it succeeded).</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
