using NotifyHub.Domain.Delivery;
using System.Text.Encodings.Web;
using NotifyHub.Delivery;

namespace NotifyHub.Timeliness;

/// <summary>
/// The emails of an escalation: a reminder to the recipient and an alert to the partnership's escalation contact. Like
/// every email of the hub they carry no incident details: who, which reference, when it was due, and where to look.
/// </summary>
public static class EscalationEmails
{
    public static LinkEmail Reminder(DeliveryRecord delivery, string to, DateTimeOffset dueAt, string? link)
    {
        var reference = Reference(delivery);
        var subject = $"NotifyHub reminder: a notification for {delivery.RecipientName} is overdue (reference {reference})";
        var where = link is null ? "Please read and acknowledge it in your NotifyHub inbox." : $"Open it here and acknowledge it:\n{link}";
        var text = $"A safeguarding notification for {delivery.RecipientName} was due by {LinkEmails.Local(dueAt)} and has not been acknowledged.\n\n" +
                   $"Police reference: {reference}\n\n{where}\n";
        var h = HtmlEncoder.Default;
        var html = $"<p>A safeguarding notification for <strong>{h.Encode(delivery.RecipientName)}</strong> was due by {h.Encode(LinkEmails.Local(dueAt))} and has not been acknowledged.</p>" +
                   $"<p>Police reference: {h.Encode(reference)}</p>" +
                   (link is null ? "<p>Please read and acknowledge it in your NotifyHub inbox.</p>" : $"<p><a href=\"{h.Encode(link)}\">Open the notification</a> and acknowledge it.</p>");
        return new LinkEmail(to, subject, text, html);
    }

    public static LinkEmail Alert(DeliveryRecord delivery, string to, string la, DateTimeOffset dueAt, string lateListUrl, DateTimeOffset lateListExpiresAt)
    {
        var reference = Reference(delivery);
        var subject = $"NotifyHub: a late share for {delivery.RecipientName} ({delivery.RecipientType}, LA {la})";
        var text = $"A notification to {delivery.RecipientName} ({delivery.RecipientType}, local authority {la}) was due by {LinkEmails.Local(dueAt)} " +
                   $"and has not been acknowledged. The recipient has been reminded.\n\nPolice reference: {reference}\nNotification: {delivery.NotificationId}\n\n" +
                   $"Every share in your partnership's local authorities that is late and not yet acknowledged (this link works until {LinkEmails.Local(lateListExpiresAt)}; do not forward it):\n{lateListUrl}\n";
        var h = HtmlEncoder.Default;
        var html = $"<p>A notification to <strong>{h.Encode(delivery.RecipientName)}</strong> ({h.Encode(delivery.RecipientType)}, local authority {h.Encode(la)}) " +
                   $"was due by {h.Encode(LinkEmails.Local(dueAt))} and has not been acknowledged. The recipient has been reminded.</p>" +
                   $"<p>Police reference: {h.Encode(reference)}<br>Notification: {h.Encode(delivery.NotificationId)}</p>" +
                   $"<p><a href=\"{h.Encode(lateListUrl)}\">See every share in your partnership's local authorities that is late and not yet acknowledged</a> " +
                   $"(this link works until {h.Encode(LinkEmails.Local(lateListExpiresAt))}; do not forward it).</p>";
        return new LinkEmail(to, subject, text, html);
    }

    private static string Reference(DeliveryRecord delivery) =>
        delivery.IncidentReference is { } r ? $"{delivery.ForceCode} {r}" : delivery.IncidentId;
}
