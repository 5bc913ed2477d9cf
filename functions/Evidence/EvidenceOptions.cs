using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using NotifyHub.Domain.Evidence;

namespace NotifyHub.Evidence;

/// <summary>
/// <c>Evidence:*</c>: the key that signs the daily anchors. In Azure a Key Vault secret (the template's
/// <c>Evidence--SigningKey</c>); locally the development key in functions/local.settings.json, which start-up refuses
/// anywhere but the Development environment, since anyone can read it.
/// </summary>
public sealed class EvidenceOptions : IValidatableObject
{
    public const string Section = "Evidence";

    /// <summary>The development key's id (the SHA-256 of its public key, first 16 hex digits).</summary>
    public const string DevelopmentKeyId = "62a1a033f19e4c07";

    /// <summary>PEM of the ECDSA P-256 private key (PKCS #8 or SEC 1): <c>openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt</c>.</summary>
    [Required(ErrorMessage = "Evidence:SigningKey is not set: give the PEM of an ECDSA P-256 private key (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt).")]
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// After a rotation of <see cref="SigningKey"/>: the public keys (PEM, one after another) of the keys it replaced, so that
    /// exports of anchors they signed still carry them and the hub still publishes them.
    /// </summary>
    public string RetiredPublicKeys { get; set; } = "";

    /// <summary>How far back an anchor looks before the previous anchor's cutoff, for changes applied while that anchor was being made.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the printable timeline link in an export opens.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan TimelineLinkValidFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The signing key (the options are validated at start-up, so it reads).</summary>
    public ECDsa Key()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(SigningKey);
        return key;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey.Length == 0) yield break;
        string? problem = null;
        try
        {
            using var key = Key();
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) problem = "is not a P-256 key";
            else
            {
                try { key.ExportParameters(true); }
                catch (CryptographicException) { problem = "is a public key: the hub needs the private key to sign"; }
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            problem = "is not the PEM of an ECDSA private key (-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)";
        }
        if (problem is not null) yield return new ValidationResult($"Evidence:SigningKey {problem}.", [nameof(SigningKey)]);
        var (_, retiredProblem) = EvidenceSignature.ReadPublicKeys(RetiredPublicKeys);
        if (retiredProblem is not null) yield return new ValidationResult($"Evidence:RetiredPublicKeys {retiredProblem}.", [nameof(RetiredPublicKeys)]);
    }

    /// <summary>The retired public keys (validated at start-up).</summary>
    public IReadOnlyList<ECDsa> Retired() => EvidenceSignature.ReadPublicKeys(RetiredPublicKeys).Keys;

    /// <summary>Whether the key is the development key committed to the repository.</summary>
    public bool IsDevelopmentKey()
    {
        try
        {
            using var key = Key();
            return EvidenceSignature.KeyId(key) == DevelopmentKeyId;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
