namespace NotifyHub.Domain.Delivery;

/// <summary>
/// How each kind of notification is spoken of in emails and on pages (<see cref="DeliveryKinds"/>): what it is, what its
/// recipient is asked to do, and what has not happened when it is late. One table, so the emails and pages agree.
/// </summary>
/// <param name="Noun">"a MASH decision": what it is, after "There is …".</param>
/// <param name="Title">"A MASH decision is waiting for you": the heading of its email.</param>
/// <param name="Ask">"read it and acknowledge it": what its recipient is asked to do, after "Open it, ".</param>
/// <param name="NotDone">"has not been acknowledged": what a late one has not had.</param>
public sealed record KindWording(string Noun, string Title, string Ask, string NotDone)
{
    /// <summary>
    /// Why a notification of this kind is not acknowledged (null: it is). A challenge is answered with a response, and what
    /// a MASH owes is met by recording its decision: an acknowledgement would make neither look done.
    /// </summary>
    public static string? NotAcknowledgeable(string kind, string notificationId) => kind switch
    {
        DeliveryKinds.Challenge => $"A challenge is answered, not acknowledged: POST /api/notifications/{notificationId}/response.",
        DeliveryKinds.DecisionDue => "What a MASH owes is met by recording its decision: POST /api/notifications/{the incident's notification id}/decisions.",
        DeliveryKinds.StrategyDue => $"A strategy discussion is met by recording it held: POST /api/notifications/{notificationId}/held.",
        DeliveryKinds.Invitation => $"An invitation is answered, not acknowledged: POST /api/notifications/{notificationId}/answer.",
        DeliveryKinds.RelayReview => $"A share held at the front door is released or withheld, not acknowledged: POST /api/notifications/{notificationId}/release or /withhold.",
        _ => null,
    };

    public static KindWording For(string kind) => kind switch
    {
        DeliveryKinds.Decision => new("a MASH decision about an incident", "A MASH decision has been shared with you",
            "read it and acknowledge it", "has not been acknowledged"),
        DeliveryKinds.NextStep => new("a next step for you from a MASH decision", "A MASH decision asks something of you",
            "read it and, once it is done, mark it done", "has not been marked done"),
        DeliveryKinds.Challenge => new("a challenge to your MASH's decision", "A decision of your MASH has been challenged",
            "read it and respond to it", "has not been answered"),
        DeliveryKinds.ChallengeResponse => new("the MASH's response to a challenge to its decision", "A challenge to a MASH decision has been answered",
            "read it and acknowledge it", "has not been acknowledged"),
        DeliveryKinds.DecisionDue => new("an incident awaiting your MASH's decision", "An incident awaits your MASH's decision",
            "record the decision", "has no decision recorded"),
        DeliveryKinds.StrategyDue => new("a strategy discussion you chair", "A strategy discussion is due to be held",
            "hold it and record it held", "has not been recorded as held"),
        DeliveryKinds.Invitation => new("an invitation to a strategy discussion", "You are invited to a strategy discussion",
            "read it and say whether you will attend, and send what you know", "has not been answered"),
        DeliveryKinds.Minutes => new("a copy of the minutes of a strategy discussion", "The minutes of a strategy discussion have been shared with you",
            "read them and acknowledge them", "has not been acknowledged"),
        DeliveryKinds.Action => new("an action for you from a strategy discussion", "A strategy discussion agreed an action for you",
            "read it and, once it is done, mark it done", "has not been marked done"),
        DeliveryKinds.RelayReview => new("a notification held at your front door for review", "A notification is waiting for your review before it goes on",
            "review it and release it to its recipient, or withhold it", "has not been released or withheld"),
        _ => new("a safeguarding notification", "A safeguarding notification is waiting for you", "read it and acknowledge it", "has not been acknowledged"),
    };
}
