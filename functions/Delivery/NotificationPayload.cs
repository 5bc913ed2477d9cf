using NotifyHub.Domain.Delivery;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotifyHub.Delivery;

/// <summary>
/// The webhook body (docs/schemas/notification.v1.json): a versioned document. <c>type</c> is
/// <c>notification.created</c> for an incident's share, one type of its own for each other kind of notification
/// (<see cref="TypeFor"/>: a MASH's decision, a next step, a challenge, a challenge's response, a front-door review) and <c>ping</c> for the
/// daily liveness check; <c>content</c> is the recipient's projection, exactly as stored for it.
/// </summary>
public sealed record NotificationPayload(
    string Type, int Version, string? NotificationId, string? IncidentId, PayloadRecipient Recipient, DateTimeOffset? DueAt,
    PayloadLinks? Links, JsonElement? Content)
{
    public const string NotificationType = "notification.created";
    public const string PingType = "ping";
    public const string DecisionType = "decision.shared";
    public const string NextStepType = "next-step.assigned";
    public const string ChallengeType = "challenge.raised";
    public const string ChallengeResponseType = "challenge.answered";
    public const string InvitationType = "strategy.invited";
    public const string MinutesType = "strategy.minutes-shared";
    public const string ActionType = "strategy.action-assigned";
    public const string RelayReviewType = "relay.review";

    /// <summary>The event type of a notification of kind <paramref name="kind"/> (<see cref="DeliveryKinds"/>).</summary>
    public static string TypeFor(string kind) => kind switch
    {
        DeliveryKinds.Decision => DecisionType,
        DeliveryKinds.NextStep => NextStepType,
        DeliveryKinds.Challenge => ChallengeType,
        DeliveryKinds.ChallengeResponse => ChallengeResponseType,
        DeliveryKinds.Invitation => InvitationType,
        DeliveryKinds.Minutes => MinutesType,
        DeliveryKinds.Action => ActionType,
        DeliveryKinds.RelayReview => RelayReviewType,
        _ => NotificationType,
    };
    public const int CurrentVersion = 1;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PayloadJson.Default.NotificationPayload);

    public static NotificationPayload For(DeliveryRecord delivery, byte[] content, string publicBaseUrl) => new(
        TypeFor(delivery.Kind), CurrentVersion, delivery.NotificationId, delivery.IncidentId,
        new PayloadRecipient(delivery.OrganisationId, delivery.RecipientType), delivery.DueAt,
        PayloadLinks.For(publicBaseUrl, delivery.NotificationId, delivery.Kind), JsonDocument.Parse(content).RootElement.Clone());

    public static NotificationPayload Ping(string organisationId, string organisationType) =>
        new(PingType, CurrentVersion, null, null, new PayloadRecipient(organisationId, organisationType), null, null, null);
}

public sealed record PayloadRecipient(string Id, string Type);

/// <summary>
/// Where the recipient's system reads the notification and acknowledges it (with its API key) — for a challenge, where the
/// MASH answers it (a challenge is answered, not acknowledged); for a decision, also where it is challenged.
/// </summary>
public sealed record PayloadLinks(string Notification, string Acknowledge)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Challenge { get; init; }

    /// <summary>A front-door review: where the relay withholds the share (its <see cref="Acknowledge"/> link releases it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Withhold { get; init; }

    public static PayloadLinks For(string publicBaseUrl, string notificationId, string kind = DeliveryKinds.Incident)
    {
        var root = publicBaseUrl.TrimEnd('/') + "/api/notifications/" + notificationId;
        return new PayloadLinks(root, root + kind switch
        {
            DeliveryKinds.Challenge => "/response", DeliveryKinds.Invitation => "/answer", DeliveryKinds.RelayReview => "/release", _ => "/ack",
        })
        {
            Challenge = kind == DeliveryKinds.Decision ? root + "/challenge" : null,
            Withhold = kind == DeliveryKinds.RelayReview ? root + "/withhold" : null,
        };
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationPayload))]
internal sealed partial class PayloadJson : JsonSerializerContext;
