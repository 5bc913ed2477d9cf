using System.ComponentModel.DataAnnotations;
using NotifyHub.Domain.Delivery;

namespace NotifyHub.Delivery;

/// <summary>Configuration section <c>Delivery</c>: how notifications are sent and retried.</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string Section = "Delivery";

    /// <summary>How long one webhook attempt may take, connection to last byte read.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed attempts on one channel before the fallback channel takes over (docs/delivery.md).</summary>
    [Range(1, 50)]
    public int AttemptsPerChannel { get; set; } = 8;

    /// <summary>How long one attempt holds its claim on a delivery: longer than functionTimeout, so a claim lapses only when its attempt has ended.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Reconciliation re-queues a delivery whose next attempt is this overdue (its message was lost).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many endpoints the daily handshake (<c>PingWebhookEndpoints</c>) pings at once: an endpoint that never answers
    /// holds one of them for <see cref="AttemptTimeout"/>, so a run over E endpoints of which S never answer takes about
    /// (S / this) × the timeout, plus the rest.
    /// </summary>
    [Range(1, 64)]
    public int PingConcurrency { get; set; } = 16;

    /// <summary>Development only: allow plain-http webhooks to loopback addresses (a local receiver).</summary>
    public bool AllowHttpToLoopback { get; set; }

    /// <summary>Networks webhooks may reach although they are private, loopback or link-local: comma-separated CIDRs.</summary>
    public string AllowedNetworks { get; set; } = "";

    /// <summary>After a webhook secret is rotated, how long the previous one still signs (both signatures are sent).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The hub's public address, for the links in emails and webhook payloads.</summary>
    [Required(ErrorMessage = "Delivery:PublicBaseUrl is not set: give the hub's public https address (e.g. https://notifyhub.example.org).")]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Base64 HMAC key (at least 32 bytes) that signs the links in emails.</summary>
    [Required(ErrorMessage = "Delivery:LinkSigningKey is not set: give a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`).")]
    public string LinkSigningKey { get; set; } = "";

    /// <summary>How long an email link works.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan LinkValidFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// During a rotation of <see cref="LinkSigningKey"/>: the key being retired. Links are always signed with the current
    /// key; a link signed with this one still opens until it expires (docs/deploy.md), so a rotation breaks no link.
    /// </summary>
    public string LinkSigningPreviousKey { get; set; } = "";

    /// <summary>The key every new link (email or dashboard) is signed with.</summary>
    public byte[] LinkSigningKeyBytes => Convert.FromBase64String(LinkSigningKey);

    /// <summary>The keys a link may be signed with to open: the current one, then the previous one during a rotation (a method: validation reads every property, before the keys are known to be base64).</summary>
    public IReadOnlyList<byte[]> LinkVerificationKeys() =>
        LinkSigningPreviousKey.Length > 0 ? [LinkSigningKeyBytes, Convert.FromBase64String(LinkSigningPreviousKey)] : [LinkSigningKeyBytes];

    /// <summary>
    /// Base64 key (at least 32 bytes) that encrypts recipients' webhook signing secrets in table <c>WebhookEndpoints</c>
    /// (<see cref="WebhookSecretProtector"/>). In Azure a Key Vault reference.
    /// </summary>
    [Required(ErrorMessage = "Delivery:WebhookSecretKey is not set: give a base64 key of at least 32 random bytes (e.g. `openssl rand -base64 32`).")]
    public string WebhookSecretKey { get; set; } = "";

    /// <summary>During a rotation of <see cref="WebhookSecretKey"/>: the key being retired, which still opens the secrets it protected until they are protected again (docs/deploy.md).</summary>
    public string WebhookSecretPreviousKey { get; set; } = "";

    /// <summary>
    /// The one-off migration of webhook signing secrets found in the clear in table <c>WebhookEndpoints</c> (from before
    /// they were encrypted): while on, such a secret signs and <c>PingWebhookEndpoints</c> protects it with the current key.
    /// Off (the default), a secret in the clear is never signed with: it is left out and logged (event 4011). Turn it on for
    /// one run, then off (docs/deploy.md).
    /// </summary>
    public bool MigratePlaintextSecrets { get; set; }

    /// <summary>
    /// Replaces the standard schedule's delays (docs/delivery.md): comma-separated times before the 2nd, 3rd, ... attempt
    /// on a channel, the last repeating (e.g. <c>00:00:10,00:01:00,01:00:00</c>). Empty: the standard schedule.
    /// </summary>
    public string RetryDelays { get; set; } = "";

    public RetrySchedule Schedule =>
        ParseDelays(RetryDelays) is { Count: > 0 } delays
            ? RetrySchedule.Standard(AttemptsPerChannel) with { Delays = delays.Take(delays.Count - 1).ToList(), Thereafter = delays[^1] }
            : RetrySchedule.Standard(AttemptsPerChannel);

    private static List<TimeSpan>? ParseDelays(string text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero || delay > TimeSpan.FromDays(1)) return null;
            delays.Add(delay);
        }
        return delays;
    }

    public OutboundAddressPolicy AddressPolicy =>
        OutboundAddressPolicy.TryParseNetworks(AllowedNetworks, out var networks, out _) ? new OutboundAddressPolicy(networks) : new OutboundAddressPolicy([]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!OutboundAddressPolicy.TryParseNetworks(AllowedNetworks, out _, out var bad))
            yield return new ValidationResult($"Delivery:AllowedNetworks: '{bad}' is not a network (CIDR such as 10.1.0.0/16) or an IP address.", [nameof(AllowedNetworks)]);
        if (ParseDelays(RetryDelays) is null)
            yield return new ValidationResult("Delivery:RetryDelays must be comma-separated times from 00:00:00 to 1.00:00:00, e.g. 00:00:10,00:01:00,01:00:00.", [nameof(RetryDelays)]);
        if (PublicBaseUrl.Length > 0 && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0))
            yield return new ValidationResult("Delivery:PublicBaseUrl must be an absolute http(s) address without a query, e.g. https://notifyhub.example.org.", [nameof(PublicBaseUrl)]);
        foreach (var (name, key) in new[]
                 {
                     (nameof(LinkSigningKey), LinkSigningKey), (nameof(LinkSigningPreviousKey), LinkSigningPreviousKey),
                     (nameof(WebhookSecretKey), WebhookSecretKey), (nameof(WebhookSecretPreviousKey), WebhookSecretPreviousKey),
                 })
        {
            if (key.Length > 0 && !Routing.RoutingOptions.IsBase64Key(key, 32)) yield return new ValidationResult($"Delivery:{name} must be base64 of at least 32 bytes.", [name]);
        }
    }

    public WebhookSecretProtector SecretProtector() =>
        new(Convert.FromBase64String(WebhookSecretKey), WebhookSecretPreviousKey.Length > 0 ? Convert.FromBase64String(WebhookSecretPreviousKey) : null,
            MigratePlaintextSecrets);
}

/// <summary>Configuration section <c>Email</c>: the SMTP server secure-link emails go through.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    /// <summary>The SMTP server. Unset: the email channel fails every attempt permanently with <c>email-not-configured</c>.</summary>
    public string SmtpHost { get; set; } = "";

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>
    /// TLS is required on every SMTP connection (STARTTLS, or TLS from the first byte on port 465): a server, or a
    /// man in the middle, that does not offer it gets nothing, so a downgrade cannot put a safeguarding link on the wire
    /// in clear. <c>false</c> (STARTTLS only when offered) is for the local mail catcher and refused at start-up outside
    /// the Development environment.
    /// </summary>
    public bool RequireTls { get; set; } = true;

    /// <summary>Sign in when set (always over TLS outside Development).</summary>
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";

    [Required, EmailAddress]
    public string From { get; set; } = "notifyhub@localhost";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The sender parses From with MimeKit on every email: an address it cannot read would fail them all.
        if (From.Length > 0 && !MimeKit.MailboxAddress.TryParse(From, out _))
            yield return new ValidationResult($"Email:From must be an address the mail library can read, e.g. notifyhub@notifyhub.example.org; '{From}' is not.", [nameof(From)]);
    }
}
