using System.Net;
using System.Net.Sockets;
using MailKit.Security;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Delivery;

/// <summary><see cref="EmailSender"/> on its own, against loopback only.</summary>
public class EmailSenderTests
{
    /// <summary>A loopback port nothing listens on: were an attempt to get as far as connecting, it would be refused there.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("x@school..example")]
    [InlineData("x,head@school.example")]
    [InlineData("dsl.@school.example")]
    public async Task An_address_the_mail_library_cannot_parse_is_a_permanent_failure_of_the_attempt_not_an_exception(string address)
    {
        var sender = new EmailSender(Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = ClosedPort() }));

        var result = await sender.SendAsync(new LinkEmail(address, "Subject", "Text", "<p>Html</p>"), CancellationToken.None);

        Assert.Equal(AttemptOutcome.Permanent("invalid-email-address"), result.Outcome);
    }

    [Fact]
    public async Task With_the_default_settings_a_mail_server_that_offers_no_TLS_gets_nothing_in_clear()
    {
        await using var mail = await Maildev.StartAsync(); // maildev offers no STARTTLS
        var address = $"dsl-{Guid.NewGuid():N}@school.example";
        var sender = new EmailSender(Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = mail.SmtpPort }));

        var result = await sender.SendAsync(new LinkEmail(address, "Subject", "Text", "<p>Html</p>"), CancellationToken.None);

        Assert.Equal(AttemptOutcome.Transient("smtp-tls-failure"), result.Outcome);
        Assert.Empty(await mail.EmailsToAsync(address));
    }

    [Theory]
    [InlineData(587, SecureSocketOptions.StartTls)]
    [InlineData(25, SecureSocketOptions.StartTls)]
    [InlineData(2525, SecureSocketOptions.StartTls)]
    [InlineData(465, SecureSocketOptions.SslOnConnect)]
    public void TLS_is_required_on_every_port_unless_the_development_setting_turns_it_off(int port, SecureSocketOptions required)
    {
        Assert.Equal(required, EmailSender.TlsMode(new EmailOptions { SmtpPort = port }));
        Assert.Equal(SecureSocketOptions.StartTlsWhenAvailable, EmailSender.TlsMode(new EmailOptions { SmtpPort = port, RequireTls = false }));
    }

    [Fact]
    public async Task With_TLS_turned_off_for_development_the_local_mail_catcher_gets_the_email()
    {
        await using var mail = await Maildev.StartAsync();
        var address = $"dsl-{Guid.NewGuid():N}@school.example";
        var sender = new EmailSender(Options.Create(new EmailOptions { SmtpHost = "127.0.0.1", SmtpPort = mail.SmtpPort, RequireTls = false }));

        var result = await sender.SendAsync(new LinkEmail(address, "Subject", "Text", "<p>Html</p>"), CancellationToken.None);

        Assert.Equal(OutcomeKind.Delivered, result.Outcome.Kind);
        Assert.Single(await Eventually.UntilAsync(() => mail.EmailsToAsync(address), m => m.Count == 1, "the email"));
    }
}
