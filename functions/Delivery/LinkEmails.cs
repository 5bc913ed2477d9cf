using NotifyHub.Domain.Delivery;
using System.Globalization;
using NotifyHub.Domain;
using static NotifyHub.Delivery.EmailLayout;

namespace NotifyHub.Delivery;

/// <summary>
/// The secure-link email. It says who it is for, the police reference, when it is due and the link — never a name, a date
/// of birth, an address or anything of what happened: an email can be forwarded, printed or read over a shoulder.
/// </summary>
public static class LinkEmails
{
    public static LinkEmail Build(DeliveryRecord delivery, string to, string link, DateTimeOffset expiresAt)
    {
        var reference = Reference(delivery);
        var words = KindWording.For(delivery.Kind);
        var subject = delivery.Kind == DeliveryKinds.Incident ? "a notification" : words.Noun;
        return EmailLayout.Build(to, $"NotifyHub: {subject} for {delivery.RecipientName} (reference {reference})",
            Title(words.Title),
            Para($"There is {words.Noun} for {delivery.RecipientName}."),
            KeyLines($"Police reference: {reference}"),
            Para(delivery.DueAt is { } due
                ? $"Open it, {words.Ask} by {UkTime.Describe(due)}."
                : $"Open it, {words.Ask} as soon as you can."),
            Action("Open the notification", link),
            Para($"The link works for this notification only. It expires on {UkTime.Describe(expiresAt)}."),
            Para("Do not forward this email."));
    }

    /// <summary>The police reference as the force knows it ("DEMO DEMO-2026-000123"), else the hub's incident id.</summary>
    public static string Reference(DeliveryRecord delivery) =>
        delivery.IncidentReference is { } r ? $"{delivery.ForceCode} {r}" : delivery.IncidentId;

    /// <summary>
    /// A stable Message-ID for one email of one notification (<paramref name="which"/>: an attempt <c>a{n}</c>, a reminder, an
    /// alert to one contact): ids only, at the hub's own host name.
    /// </summary>
    public static string MessageId(string notificationId, string which, string publicBaseUrl) =>
        $"{notificationId}.{which}@{(Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) ? uri.Host : "notifyhub.invalid")}";
}
