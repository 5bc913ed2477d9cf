namespace NotifyHub.Domain.Delivery;

/// <summary>
/// A notification is one delivery: one incident to one recipient. Its id, <c>{incidentId}.{recipientId}</c>, is the
/// webhook-id on every attempt (receivers de-duplicate on it) and the id in the inbox API. Neither part carries
/// personal data: the incident id is random, the recipient id is the organisation's directory id, followed for what is
/// not the incident's share by what it is (<see cref="DeliveryKey"/>: <c>~d2</c>, a decision's version 2).
/// </summary>
public static class NotificationId
{
    public static string Format(string incidentId, string recipientId) => $"{incidentId}.{recipientId}";

    public static bool TryParse(string? id, out string incidentId, out string recipientId)
    {
        incidentId = recipientId = "";
        if (string.IsNullOrEmpty(id) || id.Length > 120) return false;
        var dot = id.IndexOf('.');
        if (dot <= 0 || dot == id.Length - 1) return false;
        incidentId = id[..dot];
        recipientId = id[(dot + 1)..];
        return incidentId.StartsWith("inc_", StringComparison.Ordinal) && incidentId.Length == 36 && incidentId[4..].All(char.IsAsciiHexDigitLower)
            && DeliveryKey.OrganisationOf(recipientId) is { Length: > 0 } organisation
            && organisation.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && DeliveryKey.KindOf(recipientId) is not null;
    }
}
