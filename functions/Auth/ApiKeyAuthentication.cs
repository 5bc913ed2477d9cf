using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace NotifyHub.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against <see cref="ApiKeyStore"/>. Lookups are cached
/// briefly so that a busy force does not pay a table read per incident; a revoked key therefore
/// stops working within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, IMemoryCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = values[0]!.Trim();
        var caller = await cache.GetOrCreateAsync("apikey:" + presented, async entry =>
        {
            var found = await keys.FindAsync(presented, Context.RequestAborted);
            entry.AbsoluteExpirationRelativeToNow = found is null ? TimeSpan.FromSeconds(1) : CacheFor;
            return found;
        });
        if (caller is null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        Context.Features.Set(caller);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, caller.OrganisationId),
            new Claim(ClaimTypes.Role, caller.Role),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

public static class AuthRegistration
{
    public static IServiceCollection AddHubAuth(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Police, p => p.RequireRole(Roles.Police));
        return services;
    }

    /// <summary>The authenticated caller of this request (endpoints that require authorization always have one).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("No authenticated caller on this request.");
}
