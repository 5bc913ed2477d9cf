using System.ComponentModel.DataAnnotations;
using NotifyHub.Domain.Routing;

namespace NotifyHub.Routing;

/// <summary>Configuration section <c>Routing</c>.</summary>
public sealed class RoutingOptions : IValidatableObject
{
    public const string Section = "Routing";

    /// <summary>
    /// Base64 HMAC key (at least 32 bytes) for child identity keys. Keep it secret and never change
    /// it casually: a new key starts every child's history afresh.
    /// </summary>
    [Required(ErrorMessage = "Routing:ChildIdentityKey is not set: give a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`).")]
    public string ChildIdentityKey { get; set; } = "";

    public byte[] ChildIdentityKeyBytes => Convert.FromBase64String(ChildIdentityKey);

    /// <summary>
    /// How long one routing attempt holds its claim on an incident: longer than functionTimeout, so a claim
    /// only lapses when its attempt has certainly ended.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// SHA-256 of the keys committed in <c>functions/local.settings.json</c> for local runs (the child identity key, the
    /// email-link signing key and the webhook-secret key). Anyone can read them, so start-up refuses them anywhere but the Development environment.
    /// </summary>
    private static readonly string[] CommittedDevelopmentKeySha256 =
    [
        "dc22d63f562ebbfb6ed3a665ff4b1d17b605cf1d1ae2ae71f661c5083a5bebd9",
        "1483ca4ed3c7bbc6d76293e1708d676068e776c43c511052a83ea67f4e693e16",
        "1433413ec6f065f302209f098b63c7ee2ea4a692cf532098721cb86ffbbbcb29",
    ];

    /// <summary>Whether <paramref name="base64Key"/> is a development key committed to the repository.</summary>
    public static bool IsCommittedDevelopmentKey(string base64Key)
    {
        try
        {
            return CommittedDevelopmentKeySha256.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(base64Key))));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="base64Key"/> is base64 of at least <paramref name="minimumBytes"/> bytes: what every key setting must be.</summary>
    public static bool IsBase64Key(string base64Key, int minimumBytes)
    {
        try { return Convert.FromBase64String(base64Key).Length >= minimumBytes; }
        catch (FormatException) { return false; }
    }

    /// <summary>The Functions environment: <c>AZURE_FUNCTIONS_ENVIRONMENT</c>, which the Functions host sets (Production in Azure) and the DevHost sets to Development.</summary>
    public static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration["AZURE_FUNCTIONS_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ChildIdentityKey) && !IsBase64Key(ChildIdentityKey, ChildIdentity.MinimumKeyBytes))
            yield return new ValidationResult($"Routing:ChildIdentityKey must be base64 of at least {ChildIdentity.MinimumKeyBytes} bytes.", [nameof(ChildIdentityKey)]);
    }
}
