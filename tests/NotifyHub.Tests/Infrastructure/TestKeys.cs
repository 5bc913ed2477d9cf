using System.Security.Cryptography;

namespace NotifyHub.Tests.Infrastructure;

public static class TestKeys
{
    /// <summary>A child-identity HMAC key for a function app run in-process, fresh per test run.</summary>
    public static readonly string ChildIdentityKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>An evidence signing key (ECDSA P-256, PKCS #8 PEM) of the test run's own, not the committed development key.</summary>
    public static readonly string EvidenceSigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();
}
