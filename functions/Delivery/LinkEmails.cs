using NotifyHub.Domain.Delivery;
using System.Globalization;
using System.Text.Encodings.Web;
using NotifyHub.Domain;

namespace NotifyHub.Delivery;

/// <summary>
/// The secure-link email. It says who it is for, the police reference and the link — never a name, a date of birth,
/// an address or anything of what happened: an email can be forwarded, printed or read over a shoulder.
/// </summary>
public static class LinkEmails
{
    public static LinkEmail Build(DeliveryRecord delivery, string to, string link, DateTimeOffset expiresAt)
    {
        var reference = delivery.IncidentReference is { } r ? $"{delivery.ForceCode} {r}" : delivery.IncidentId;
        var expires = Local(expiresAt);
        var subject = $"NotifyHub: a notification for {delivery.RecipientName} (reference {reference})";
        var text =
            $"A safeguarding notification for {delivery.RecipientName} is waiting for you.\n\n" +
            $"Police reference: {reference}\n\n" +
            $"Open it here (this link works for this notification only, until {expires}):\n{link}\n\n" +
            "Please read it and acknowledge it on the page. Do not forward this email.\n";
        var h = HtmlEncoder.Default;
        var html =
            $"<p>A safeguarding notification for <strong>{h.Encode(delivery.RecipientName)}</strong> is waiting for you.</p>" +
            $"<p>Police reference: {h.Encode(reference)}</p>" +
            $"<p><a href=\"{h.Encode(link)}\">Open the notification</a> (this link works for this notification only, until {h.Encode(expires)}).</p>" +
            "<p>Please read it and acknowledge it on the page. Do not forward this email.</p>";
        return new LinkEmail(to, subject, text, html);
    }

    /// <summary>
    /// A stable Message-ID for one email of one notification (<paramref name="which"/>: an attempt <c>a{n}</c>, a reminder, an
    /// alert to one contact): ids only, at the hub's own host name.
    /// </summary>
    public static string MessageId(string notificationId, string which, string publicBaseUrl) =>
        $"{notificationId}.{which}@{(Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) ? uri.Host : "notifyhub.invalid")}";

    /// <summary>An instant as people in England read it: "Thu 3 Dec 2026 14:05 (UK time)".</summary>
    public static string Local(DateTimeOffset instant) =>
        NodaTime.Instant.FromDateTimeOffset(instant).InZone(UkTime.Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (UK time)";
}
