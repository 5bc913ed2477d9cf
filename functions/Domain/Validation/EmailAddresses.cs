using MimeKit;

namespace NotifyHub.Domain.Validation;

/// <summary>
/// What counts as an email address the hub can send to: one the mail library that sends (MimeKit, through
/// <c>EmailSender</c>) reads as exactly one plain mailbox — no display name, comment, route, group or second address —
/// whose domain is a host name. The directory takes only such addresses, so a delivery never meets one it cannot send.
/// </summary>
public static class EmailAddresses
{
    public const string Reason = "must be one email address such as dsl@school.example, with nothing around it";

    /// <summary>The mailbox <paramref name="text"/> names, read as the sender reads it; null when it is not one plain, sendable address.</summary>
    public static MailboxAddress? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 254) return null;
        if (!MailboxAddress.TryParse(text, out var mailbox)) return null;
        // What MimeKit read must be the whole text: "Head <head@x>" or "head@x (office)" parse, but are not a plain address.
        if (!string.IsNullOrEmpty(mailbox.Name) || mailbox.Route.Count > 0 || !string.Equals(mailbox.Address, text, StringComparison.Ordinal)) return null;
        return IsHostName(mailbox.Domain) ? mailbox : null;
    }

    public static bool IsSendable(string? text) => Parse(text) is not null;

    /// <summary>Two or more labels of letters, digits and inner hyphens (an address literal such as <c>[192.0.2.1]</c> is not a host name).</summary>
    private static bool IsHostName(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253) return false;
        var labels = domain.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsLetterOrDigit(c) || c == '-'));
    }
}
