using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace NotifyHub.Delivery;

/// <summary>
/// Keeps recipients' webhook signing secrets encrypted at rest, under a key that lives in Key Vault
/// (<c>Delivery:WebhookSecretKey</c>), so that whoever can read the <c>WebhookEndpoints</c> table cannot forge the
/// hub's webhooks. AES-256-GCM with a fresh nonce each time, the organisation id as associated data (a secret copied to
/// another organisation's row does not open), and the key's id in the stored text so that a key rotation
/// (<c>Delivery:WebhookSecretPreviousKey</c>) can tell which key to use. Stored form:
/// <c>v1.{keyId}.{base64url(nonce | ciphertext | tag)}</c>. A secret found in the clear (plain <c>whsec_…</c>, from before
/// protection existed or written round the hub) does not open: whoever could write it into the table chose it, so the hub
/// never signs with it — unless the one-off migration is on (<c>Delivery:MigratePlaintextSecrets</c>), when it opens and,
/// like one under the previous key, is reported stale so that it is protected again.
/// </summary>
public sealed class WebhookSecretProtector
{
    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] Purpose = "notifyhub webhook signing secrets v1"u8.ToArray();

    private readonly (string Id, byte[] Key) _current;
    private readonly (string Id, byte[] Key)? _previous;
    private readonly bool _migratePlaintext;

    /// <param name="currentKey">The key new secrets are protected with (at least 32 bytes).</param>
    /// <param name="previousKey">During a key rotation, the key being retired: still opens what it protected.</param>
    /// <param name="migratePlaintext">The one-off migration: a secret found in the clear opens (stale), so that it is protected again.</param>
    public WebhookSecretProtector(byte[] currentKey, byte[]? previousKey = null, bool migratePlaintext = false)
    {
        _current = Derive(currentKey);
        _previous = previousKey is { Length: > 0 } ? Derive(previousKey) : null;
        _migratePlaintext = migratePlaintext;
    }

    /// <summary>Whether a stored secret is in the clear (a plain Standard Webhooks secret), not protected.</summary>
    public static bool IsPlaintext(string stored) => stored.StartsWith("whsec_", StringComparison.Ordinal);

    /// <summary>
    /// Whether a stored secret opens but is not under the current key — under the previous key, or in the clear during the
    /// one-off migration — so that protecting it again is due. Read from the stored form alone (nothing is decrypted).
    /// </summary>
    public bool NeedsProtectingAgain(string stored) =>
        IsPlaintext(stored) ? _migratePlaintext : stored.Split('.') is [Version, var id, _] && _previous is { } previous && id == previous.Id && id != _current.Id;

    /// <summary>The id of the current key as stored beside each secret: the first 8 hex digits of a hash of the derived key.</summary>
    public string CurrentKeyId => _current.Id;

    public string Protect(string secret, string organisationId)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(organisationId));
        return $"{Version}.{_current.Id}.{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <summary>
    /// Opens a stored secret of <paramref name="organisationId"/>. False when it cannot be opened: protected with a key
    /// the hub no longer has (<paramref name="keyId"/> names it), tampered with, another organisation's, or in the clear
    /// outside the one-off migration (<see cref="IsPlaintext"/>). <paramref name="stale"/> is true when it opened but is not
    /// protected with the current key.
    /// </summary>
    public bool TryUnprotect(string stored, string organisationId, [NotNullWhen(true)] out string? secret, out bool stale, out string? keyId)
    {
        (secret, stale, keyId) = (null, false, null);
        if (IsPlaintext(stored))
        {
            if (!_migratePlaintext) return false;
            (secret, stale) = (stored, true);
            return true;
        }
        var parts = stored.Split('.');
        if (parts is not [Version, var id, var payload]) return false;
        keyId = id;
        var key = id == _current.Id ? _current.Key : _previous is { } previous && id == previous.Id ? previous.Key : null;
        if (key is null) return false;
        byte[] sealedBytes;
        try { sealedBytes = Base64Url.DecodeFromChars(payload); }
        catch (FormatException) { return false; }
        if (sealedBytes.Length < NonceBytes + TagBytes) return false;
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain,
                Encoding.UTF8.GetBytes(organisationId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        (secret, stale) = (Encoding.UTF8.GetString(plain), id != _current.Id);
        return true;
    }

    private static (string Id, byte[] Key) Derive(byte[] key)
    {
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, salt: [], info: Purpose);
        return (Convert.ToHexStringLower(SHA256.HashData(derived))[..8], derived);
    }
}
