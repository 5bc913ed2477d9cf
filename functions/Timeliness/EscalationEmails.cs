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
        var words = KindWording.For(delivery.Kind);
        var what = delivery.Kind == DeliveryKinds.Incident ? "a safeguarding notification" : words.Noun;
        EmailBlock[] whatToDo = link is { } l
            ?
            [
                Para($"Open it, {words.Ask} now."),
                Action("Open the notification", l.Url),
                Para($"The link works for this notification only. It expires on {UkTime.Describe(l.ExpiresAt)}."),
            ]
            : [Para($"In your NotifyHub inbox, {words.Ask} now.")];
        return EmailLayout.Build(to, $"NotifyHub reminder: {what} for {delivery.RecipientName} is overdue (reference {reference})",
        [
            Title(delivery.Kind == DeliveryKinds.Incident ? "A safeguarding notification is overdue" : "Something is overdue: " + what),
            Para($"{Capital(what)} for {delivery.RecipientName} was due by {UkTime.Describe(dueAt)} and {words.NotDone}."),
            KeyLines($"Police reference: {reference}"),
            .. whatToDo,
            Para("Do not forward this email."),
        ]);
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    public static LinkEmail Alert(DeliveryRecord delivery, string to, string la, DateTimeOffset dueAt, string lateListUrl, DateTimeOffset lateListExpiresAt)
    {
        var reference = LinkEmails.Reference(delivery);
        var words = KindWording.For(delivery.Kind);
        var where = $"{delivery.RecipientName} ({ReportLabels.RecipientType(delivery.RecipientType)}, {LocalAuthorities.Name(la)})";
        var (subject, title, said) = delivery.Kind switch
        {
            DeliveryKinds.Incident => ($"a late share for {where}", "A share is late", $"A notification to {where}"),
            DeliveryKinds.DecisionDue => ($"a decision overdue at {where}", "A MASH decision is overdue", $"An incident awaiting a decision from {where}"),
            DeliveryKinds.Challenge => ($"a challenge unanswered by {where} (stage 2)", "A challenge to a MASH decision is unanswered: stage 2",
                $"A challenge to a decision of {where}"),
            DeliveryKinds.StrategyDue => ($"a strategy discussion not held by {where}", "A strategy discussion is overdue",
                $"A strategy discussion chaired by {where}"),
            DeliveryKinds.NextStep => ($"a next step overdue at {where}", "A next step is overdue", $"A next step from a MASH decision, owned by {where},"),
            DeliveryKinds.Action => ($"a strategy discussion action overdue at {where}", "An action is overdue",
                $"An action from a strategy discussion, owned by {where},"),
            DeliveryKinds.Minutes => ($"strategy discussion minutes unread at {where}", "Minutes are unread", $"The minutes of a strategy discussion sent to {where}"),
            DeliveryKinds.Decision => ($"a MASH decision unread at {where}", "A MASH decision is unread", $"A MASH decision sent to {where}"),
            _ => ($"{words.Noun} overdue at {where}", "Something is overdue: " + words.Noun, $"{Capital(words.Noun)} sent to {where}"),
        };
        return EmailLayout.Build(to, $"NotifyHub: {subject}",
            Title(title),
            Para($"{said} was due by {UkTime.Describe(dueAt)} and {words.NotDone}. The recipient has been reminded."),
            KeyLines($"Police reference: {reference}", $"Notification: {delivery.NotificationId}"),
            Action("See every late share in your partnership's local authorities", lateListUrl),
            Para($"The link shows every share in your partnership's local authorities that is late and not yet acknowledged. It works until {UkTime.Describe(lateListExpiresAt)}."),
            Para("Do not forward this email."));
    }
}
