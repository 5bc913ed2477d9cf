using Microsoft.Extensions.Caching.Memory;
using NotifyHub.Organisations;

namespace NotifyHub.Auth;

/// <summary>
/// Who presents an <c>X-Api-Key</c>: a key that exists, is not revoked, and belongs to an organisation that is
/// still active. Lookups are cached briefly so that a busy force does not pay two table reads per incident; a
/// revoked key, or a key of an organisation just deactivated, therefore stops working within <see cref="CacheFor"/>.
/// The cache is keyed by the key's hash, never the key, and holds at most <see cref="CacheEntries"/> callers.
/// </summary>
public sealed class ApiKeyAuthentication(ApiKeyStore keys, DirectoryStore directory)
{
    public const string Header = "X-Api-Key";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    public const int CacheEntries = 10_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheEntries });

    /// <summary>The caller, or null when the header is missing, repeated, empty, unknown or revoked.</summary>
    public async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return null;
        }
        var presented = values[0]!.Trim();
        return await _cache.GetOrCreateAsync(ApiKeyStore.Hash(presented), async entry =>
        {
            var found = await keys.FindAsync(presented, cancellationToken);
            // Administrators' and inspectors' keys belong to the hub's operators and to inspections, not to an organisation in the directory.
            if (found is { Role: not (Roles.Admin or Roles.Inspector) } && await directory.GetAsync(found.OrganisationId, cancellationToken) is not { Active: true }) found = null;
            entry.AbsoluteExpirationRelativeToNow = found is null ? TimeSpan.FromSeconds(1) : CacheFor;
            entry.Size = 1;
            return found;
        });
    }
}

public static class AuthRegistration
{
    public static IServiceCollection AddHubAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthentication>();
        return services;
    }

    /// <summary>The authenticated caller of this request (every HTTP function runs behind <see cref="ApiKeyMiddleware"/>).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("No authenticated caller on this request.");
}
