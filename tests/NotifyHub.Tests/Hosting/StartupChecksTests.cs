using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NotifyHub.Hosting;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Hosting;

/// <summary>The hub's own services, started as the worker starts them, with the settings under test.</summary>
public class StartupChecksTests
{
    private static readonly string CommittedKey = LocalSettings.Value("Routing__ChildIdentityKey");
    private static readonly string CommittedLinkKey = LocalSettings.Value("Delivery__LinkSigningKey");
    private static readonly string CommittedWebhookSecretKey = LocalSettings.Value("Delivery__WebhookSecretKey");
    private static readonly string OwnLinkKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string OwnWebhookSecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static async Task StartAsync(string? environment, string key, string? linkKey = null, IReadOnlyDictionary<string, string?>? more = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["AzureWebJobsStorage"] = await TestStorage.ConnectionStringAsync(),
            ["Routing:ChildIdentityKey"] = key,
            ["Delivery:LinkSigningKey"] = linkKey ?? OwnLinkKey,
            ["Delivery:WebhookSecretKey"] = OwnWebhookSecretKey,
            ["Delivery:PublicBaseUrl"] = "https://notifyhub.example.org",
            ["Evidence:SigningKey"] = TestKeys.EvidenceSigningKey,
        };
        foreach (var (name, value) in more ?? new Dictionary<string, string?>()) settings[name] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddHubServices(builder.Configuration, RepoPaths.FunctionsScriptRoot);
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData(null)]
    public async Task Start_up_refuses_the_committed_development_HMAC_key_outside_Development(string? environment)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(environment, CommittedKey));
        Assert.Contains("committed in functions/local.settings.json", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_accepts_the_committed_key_in_Development_and_a_key_of_your_own_anywhere()
    {
        await StartAsync("Development", CommittedKey, CommittedLinkKey);
        await StartAsync("Production", TestKeys.ChildIdentityKey);
    }

    [Fact]
    public async Task Start_up_refuses_the_committed_email_link_key_and_plain_http_webhooks_outside_Development()
    {
        var link = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", TestKeys.ChildIdentityKey, CommittedLinkKey));
        Assert.Contains("Delivery:LinkSigningKey is the development key", link.Message, StringComparison.Ordinal);
        var http = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", TestKeys.ChildIdentityKey,
            more: new Dictionary<string, string?> { ["Delivery:AllowHttpToLoopback"] = "true" }));
        Assert.Contains("AllowHttpToLoopback is for local development only", http.Message, StringComparison.Ordinal);
        var webhook = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", TestKeys.ChildIdentityKey,
            more: new Dictionary<string, string?> { ["Delivery:WebhookSecretKey"] = CommittedWebhookSecretKey }));
        Assert.Contains("Delivery:WebhookSecretKey is the development key", webhook.Message, StringComparison.Ordinal);
        // A previous link key is still accepted on links: the committed one would let anyone make links that open.
        var previousLink = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", TestKeys.ChildIdentityKey,
            more: new Dictionary<string, string?> { ["Delivery:LinkSigningPreviousKey"] = CommittedLinkKey }));
        Assert.Contains("Delivery:LinkSigningPreviousKey is the development key", previousLink.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData(null)]
    public async Task Start_up_refuses_the_committed_development_evidence_key_outside_Development(string? environment)
    {
        var more = new Dictionary<string, string?> { ["Evidence:SigningKey"] = LocalSettings.Value("Evidence__SigningKey") };
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(environment, TestKeys.ChildIdentityKey, more: more));
        Assert.Contains("Evidence:SigningKey is the development key", refused.Message, StringComparison.Ordinal);
        await StartAsync("Development", TestKeys.ChildIdentityKey, more: more);
    }

    [Theory]
    [InlineData("", "Evidence:SigningKey is not set")]
    [InlineData("not a key", "is not the PEM of an ECDSA private key")]
    [InlineData("public", "is a public key")]
    [InlineData("p384", "is not a P-256 key")]
    public async Task Start_up_refuses_an_evidence_key_that_cannot_sign_anchors_and_says_why(string key, string why)
    {
        var pem = key switch
        {
            "public" => System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem(),
            "p384" => System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem(),
            _ => key,
        };
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", TestKeys.ChildIdentityKey,
            more: new Dictionary<string, string?> { ["Evidence:SigningKey"] = pem }));
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData(null)]
    public async Task Start_up_refuses_plain_SMTP_outside_Development(string? environment)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(environment, TestKeys.ChildIdentityKey,
            more: new Dictionary<string, string?> { ["Email:SmtpHost"] = "smtp.example.org", ["Email:RequireTls"] = "false" }));
        Assert.Contains("Email:RequireTls", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_accepts_plain_SMTP_in_Development_for_the_local_mail_catcher() =>
        await StartAsync("Development", CommittedKey, CommittedLinkKey, new Dictionary<string, string?> { ["Email:RequireTls"] = "false" });

    [Theory]
    [InlineData("Delivery:LinkSigningKey", "c2hvcnQ=", "LinkSigningKey must be base64 of at least 32 bytes")]
    [InlineData("Delivery:WebhookSecretKey", "", "Delivery:WebhookSecretKey is not set")]
    [InlineData("Delivery:WebhookSecretKey", "not base64!", "WebhookSecretKey must be base64 of at least 32 bytes")]
    [InlineData("Delivery:WebhookSecretPreviousKey", "c2hvcnQ=", "WebhookSecretPreviousKey must be base64 of at least 32 bytes")]
    [InlineData("Delivery:LinkSigningPreviousKey", "c2hvcnQ=", "LinkSigningPreviousKey must be base64 of at least 32 bytes")]
    [InlineData("Delivery:LinkSigningPreviousKey", "not base64!", "LinkSigningPreviousKey must be base64 of at least 32 bytes")]
    [InlineData("Delivery:PublicBaseUrl", "notifyhub.example.org", "PublicBaseUrl must be an absolute")]
    [InlineData("Delivery:AllowedNetworks", "10.0.0.0/8,intranet", "'intranet' is not a network")]
    [InlineData("Delivery:RetryDelays", "00:00:10,soon", "RetryDelays must be")]
    [InlineData("Delivery:AttemptsPerChannel", "0", "AttemptsPerChannel")]
    [InlineData("Delivery:PingConcurrency", "0", "PingConcurrency")]
    [InlineData("Delivery:PingConcurrency", "65", "PingConcurrency")]
    [InlineData("Email:From", "not an address", "From")]
    [InlineData("Email:From", "notifyhub@hub..example", "Email:From must be an address the mail library can read")]
    public async Task Start_up_refuses_a_bad_delivery_setting_and_names_it(string setting, string value, string expected)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", CommittedKey, CommittedLinkKey,
            new Dictionary<string, string?> { [setting] = value }));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timeliness:WorkingDayEndsAt", "5pm", "Timeliness:WorkingDayEndsAt '5pm'")]
    [InlineData("Timeliness:BankHolidaysWarnAhead", "1000.00:00:00", "BankHolidaysWarnAhead")]
    [InlineData("Timeliness:BankHolidaysWarnAhead", "00:00:00", "BankHolidaysWarnAhead")]
    public async Task Start_up_refuses_a_bad_timeliness_setting_and_names_it(string setting, string value, string expected)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", CommittedKey, CommittedLinkKey,
            new Dictionary<string, string?> { [setting] = value }));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
