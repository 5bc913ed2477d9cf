using Microsoft.Extensions.Caching.Memory;

namespace NotifyHub.Auth;

/// <summary>
/// Who presents an <c>X-Api-Key</c>. Lookups are cached briefly so that a busy force does not pay a
/// table read per incident; a revoked key therefore stops working within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyAuthentication(ApiKeyStore keys, IMemoryCache cache)
{
    public const string Header = "X-Api-Key";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The caller, or null when the header is missing, repeated, empty, unknown or revoked.</summary>
    public async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return null;
        }
        var presented = values[0]!.Trim();
        return await cache.GetOrCreateAsync("apikey:" + presented, async entry =>
        {
            var found = await keys.FindAsync(presented, cancellationToken);
            entry.AbsoluteExpirationRelativeToNow = found is null ? TimeSpan.FromSeconds(1) : CacheFor;
            return found;
        });
    }
}

public static class AuthRegistration
{
    public static IServiceCollection AddHubAuth(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthentication>();
        return services;
    }

    /// <summary>The authenticated caller of this request (every HTTP function runs behind <see cref="ApiKeyMiddleware"/>).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("No authenticated caller on this request.");
}
