using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Delivery;
using static NotifyHub.Delivery.EmailLayout;

namespace NotifyHub.Timeliness;

/// <summary>
/// The emails of an escalation: a reminder to the recipient and an alert to the partnership's escalation contact. Like
/// every email of the hub they carry no incident details: who, which reference, when it was due, and where to look.
/// </summary>
public static class EscalationEmails
{
    /// <param name="link">A fresh secure link and when it expires; none when the notification has never been attempted.</param>
    public static LinkEmail Reminder(DeliveryRecord delivery, string to, DateTimeOffset dueAt, (string Url, DateTimeOffset ExpiresAt)? link)
    {
        var reference = LinkEmails.Reference(delivery);
        EmailBlock[] whatToDo = link is { } l
            ?
            [
                Para("Open it, read it and acknowledge it now."),
                Action("Open the notification", l.Url),
                Para($"The link works for this notification only. It expires on {UkTime.Describe(l.ExpiresAt)}."),
            ]
            : [Para("Read it and acknowledge it in your NotifyHub inbox now.")];
        return EmailLayout.Build(to, $"NotifyHub reminder: a notification for {delivery.RecipientName} is overdue (reference {reference})",
        [
            Title("A safeguarding notification is overdue"),
            Para($"A safeguarding notification for {delivery.RecipientName} was due by {UkTime.Describe(dueAt)} and has not been acknowledged."),
            KeyLines($"Police reference: {reference}"),
            .. whatToDo,
            Para("Do not forward this email."),
        ]);
    }

    public static LinkEmail Alert(DeliveryRecord delivery, string to, string la, DateTimeOffset dueAt, string lateListUrl, DateTimeOffset lateListExpiresAt)
    {
        var reference = LinkEmails.Reference(delivery);
        return EmailLayout.Build(to, $"NotifyHub: a late share for {delivery.RecipientName} ({ReportLabels.RecipientType(delivery.RecipientType)}, {LocalAuthorities.Name(la)})",
            Title("A share is late"),
            Para($"A notification to {delivery.RecipientName} ({ReportLabels.RecipientType(delivery.RecipientType)}, {LocalAuthorities.Name(la)}) was due by {UkTime.Describe(dueAt)} " +
                 "and has not been acknowledged. The recipient has been reminded."),
            KeyLines($"Police reference: {reference}", $"Notification: {delivery.NotificationId}"),
            Action("See every late share in your partnership's local authorities", lateListUrl),
            Para($"The link shows every share in your partnership's local authorities that is late and not yet acknowledged. It works until {UkTime.Describe(lateListExpiresAt)}."),
            Para("Do not forward this email."));
    }
}
