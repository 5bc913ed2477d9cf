using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Delivery;

/// <summary>An email to send: it carries no incident details, only who it is for, the reference and the link.</summary>
/// <param name="MessageId">
/// The Message-ID (without angle brackets) when the email must keep one id however often it is sent: an attempt sent again
/// after a crash is then the same email to the recipient's mail system, not another.
/// </param>
public sealed record LinkEmail(string To, string Subject, string Text, string Html, string? MessageId = null);

/// <summary>
/// Sends one email over SMTP with MailKit: TLS required (<see cref="TlsMode"/>; plain only in Development), sign-in when configured.
/// Delivered means the SMTP server accepted the message. A 5xx reply is permanent for this channel; a 4xx reply,
/// an unreachable server or a timeout is tried again on the schedule.
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    public async Task<SendResult> SendAsync(LinkEmail email, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.SmtpHost)) return new(AttemptOutcome.Permanent("email-not-configured"));

        // An address the mail library cannot read can never be sent: the attempt's outcome, not an exception that poisons the message.
        if (EmailAddresses.Parse(email.To) is not { } to) return new(AttemptOutcome.Permanent("invalid-email-address"));
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(to);
        message.Subject = email.Subject;
        if (email.MessageId is { } id) message.MessageId = id;
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        var connected = false;
        try
        {
            await client.ConnectAsync(o.SmtpHost, o.SmtpPort, TlsMode(o), cancellationToken);
            connected = true;
            if (o.UserName.Length > 0) await client.AuthenticateAsync(o.UserName, o.Password, cancellationToken);
            var reply = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new(AttemptOutcome.Delivered, SmtpReply: Trim(reply));
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var outcome = code >= 500 ? AttemptOutcome.Permanent($"smtp-{code}") : AttemptOutcome.Transient($"smtp-{code}");
            return new(outcome, SmtpReply: Trim($"{code} {e.Message}"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is SmtpProtocolException or SocketException or IOException
            or TimeoutException or OperationCanceledException or AuthenticationException or SslHandshakeException or ServiceNotConnectedException
            or NotSupportedException)
        {
            var errorClass = e switch
            {
                // MailKit's answer, while connecting, when TLS is required and the server (or something in between) offers no STARTTLS;
                // later it means the server lacks something else the send needs (e.g. any sign-in mechanism).
                NotSupportedException when !connected => "smtp-tls-failure",
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "smtp-connection-refused",
                SocketException or IOException => "smtp-unreachable",
                TimeoutException or OperationCanceledException => "smtp-timeout",
                AuthenticationException => "smtp-authentication-failed",
                SslHandshakeException => "smtp-tls-failure",
                _ => "smtp-protocol-error",
            };
            return new(AttemptOutcome.Transient(errorClass));
        }
    }

    /// <summary>
    /// How the connection is secured: TLS from the first byte on port 465 (implicit TLS), else STARTTLS, required either
    /// way; only with <see cref="EmailOptions.RequireTls"/> off (Development) is STARTTLS used only when offered.
    /// </summary>
    public static SecureSocketOptions TlsMode(EmailOptions options) =>
        !options.RequireTls ? SecureSocketOptions.StartTlsWhenAvailable
        : options.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
        : SecureSocketOptions.StartTls;

    private static string? Trim(string? reply) => reply is null ? null : reply.Length <= 200 ? reply : reply[..200];
}
