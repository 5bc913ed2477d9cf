using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;

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
}
