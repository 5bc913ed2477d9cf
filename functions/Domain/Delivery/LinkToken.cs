using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NotifyHub.Domain.Delivery;

/// <summary>What a valid email link grants: one notification, while its nonce is the delivery's current one.</summary>
public sealed record LinkGrant(string NotificationId, string Nonce, DateTimeOffset ExpiresAt);

/// <summary>
/// The token in an email link: <c>base64url(notificationId|nonce|expiresAt) . base64url(HMAC-SHA256)</c>. It is
/// bound to one delivery (the notification id names incident and recipient), expires, and is revoked by giving the
/// delivery a new nonce. It carries ids only: nothing in it identifies a person.
/// </summary>
public static class LinkToken
{
    public const int MaxLength = 400;

    public static string Create(byte[] key, LinkGrant grant)
    {
        var payload = Encoding.UTF8.GetBytes($"{grant.NotificationId}|{grant.Nonce}|{grant.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The grant of a token signed with <paramref name="key"/> and not expired at <paramref name="now"/>; null for anything else.</summary>
    public static LinkGrant? Verify(byte[] key, string? token, DateTimeOffset now) => Verify([key], token, now);

    /// <summary>
    /// The grant of a token signed with any of <paramref name="keys"/> (the current signing key, and during a rotation the
    /// one it replaces) and not expired at <paramref name="now"/>; null for anything else.
    /// </summary>
    public static LinkGrant? Verify(IReadOnlyList<byte[]> keys, string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength) return null;
        var dot = token.IndexOf('.');
        if (dot <= 0 || FromBase64Url(token[..dot]) is not { } payload || FromBase64Url(token[(dot + 1)..]) is not { } mac) return null;
        var signed = false;
        foreach (var key in keys) signed |= CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload));
        if (!signed) return null;
        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        if (seconds > 253402300799) return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expires > now ? new LinkGrant(parts[0], parts[1], expires) : null;
    }

    public static string NewNonce() => Base64Url(RandomNumberGenerator.GetBytes(12));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try { return Convert.FromBase64String(padded); }
        catch (FormatException) { return null; }
    }
}
