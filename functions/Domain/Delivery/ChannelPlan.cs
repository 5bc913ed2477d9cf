using NotifyHub.Domain.Directory;

namespace NotifyHub.Domain.Delivery;

/// <summary>
/// The channels a recipient is tried on, in order: its own channel first, then its fallback. A webhook falls back
/// to a secure email link to the organisation's first contact with an email address; an email has no push fallback,
/// but the notification stays in the recipient's inbox (pull) whatever happens; a recipient with no channel set, or
/// an inbox channel, is an inbox recipient. A challenge to a MASH's decision goes to the MASH's manager contact (a contact
/// whose role names a manager, with an email address) by secure email link when it has one (docs/decisions.md).
/// </summary>
public static class ChannelPlan
{
    public static IReadOnlyList<string> For(Organisation? organisation, string kind)
    {
        if (kind == DeliveryKinds.Challenge && ManagerEmail(organisation) is not null) return [DeliveryChannels.Email];
        return For(organisation);
    }

    public static IReadOnlyList<string> For(Organisation? organisation)
    {
        var channel = organisation?.Channel;
        return channel?.Kind switch
        {
            DeliveryChannels.Webhook when FallbackEmail(organisation) is not null => [DeliveryChannels.Webhook, DeliveryChannels.Email],
            DeliveryChannels.Webhook => [DeliveryChannels.Webhook],
            DeliveryChannels.Email => [DeliveryChannels.Email],
            _ => [DeliveryChannels.Inbox],
        };
    }

    /// <summary>Where the email channel sends a notification of kind <paramref name="kind"/>: a challenge to the manager contact, if there is one; the rest as <see cref="EmailAddress(Organisation?)"/>.</summary>
    public static string? EmailAddress(Organisation? organisation, string kind) =>
        kind == DeliveryKinds.Challenge && ManagerEmail(organisation) is { } manager ? manager : EmailAddress(organisation);

    /// <summary>The organisation's manager contact's address: the first contact whose role names a manager and that has an email address.</summary>
    public static string? ManagerEmail(Organisation? organisation) =>
        organisation?.Contacts?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Email) && c.Role?.Contains("manager", StringComparison.OrdinalIgnoreCase) == true)?.Email;

    /// <summary>Where the email channel sends: the channel's own address, or (as a webhook's fallback) the first contact's.</summary>
    public static string? EmailAddress(Organisation? organisation) =>
        organisation?.Channel is { Kind: DeliveryChannels.Email, Email: { } email } ? email : FallbackEmail(organisation);

    private static string? FallbackEmail(Organisation? organisation) =>
        organisation?.Contacts?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Email))?.Email;
}
