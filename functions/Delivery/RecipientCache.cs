using Microsoft.Extensions.Caching.Memory;
using NotifyHub.Domain.Directory;
using NotifyHub.Organisations;

namespace NotifyHub.Delivery;

/// <summary>
/// The recipients delivery sends to, cached briefly: an incident's three to six deliveries, and their retries, would
/// otherwise read the same organisations again and again. A change to an organisation's channel or contacts, or its
/// deactivation, reaches delivery within <see cref="CacheFor"/>.
/// </summary>
public sealed class RecipientCache(DirectoryStore directory)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public async Task<Organisation?> GetAsync(string organisationId, CancellationToken cancellationToken) =>
        await _cache.GetOrCreateAsync(organisationId, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 1;
            return await directory.GetAsync(organisationId, cancellationToken);
        });
}
