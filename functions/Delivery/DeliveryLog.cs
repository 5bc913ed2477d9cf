namespace NotifyHub.Delivery;

/// <summary>Delivery's structured log events: ids, channels, statuses and error classes only — never content or addresses.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "A deliveries message could not be read (dequeue count {DequeueCount}); it is discarded")]
    public static partial void Unreadable(ILogger logger, long dequeueCount);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "No delivery of incident {IncidentId} to {RecipientId}; the message is discarded")]
    public static partial void Unknown(ILogger logger, string incidentId, string recipientId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Notification {NotificationId} needs nothing from this message: status {Status}, message {MessageSequence}, current {Sequence}")]
    public static partial void NothingToDo(ILogger logger, string notificationId, string status, int messageSequence, int sequence);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Notification {NotificationId} is claimed or not yet due; message re-queued for {Wait}")]
    public static partial void Deferred(ILogger logger, string notificationId, TimeSpan wait);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Notification {NotificationId} was claimed by another attempt first")]
    public static partial void ClaimLost(ILogger logger, string notificationId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Notification {NotificationId} attempt {Attempt} on {Channel}: {Outcome} {ErrorClass}; now {Status}")]
    public static partial void Attempted(ILogger logger, string notificationId, int attempt, string channel, string outcome, string? errorClass, string status);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "The {Channel} channel threw {ExceptionType} sending notification {NotificationId}: recorded as a failed attempt")]
    public static partial void ChannelThrew(ILogger logger, string exceptionType, string notificationId, string channel);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Notification {NotificationId} was overdue by {Overdue}; its message was re-queued")]
    public static partial void Requeued(ILogger logger, string notificationId, TimeSpan overdue);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Daily webhook handshake: {Answered} endpoints answered, {Silent} did not")]
    public static partial void Pinged(ILogger logger, int answered, int silent);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "A webhook signing secret of {OrganisationId} cannot be opened (key id {KeyId}): it was protected with a key the hub no longer has, or altered. Set Delivery:WebhookSecretPreviousKey to the retired key, or issue the recipient a new secret")]
    public static partial void SecretUnreadable(ILogger logger, string organisationId, string? keyId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "A webhook signing secret of {OrganisationId} is stored in the clear: it is not used to sign, and that recipient's webhooks fall back. Issue the recipient a new secret, or protect the secrets found in the clear with the one-off migration (Delivery:MigratePlaintextSecrets=true, then PingWebhookEndpoints)")]
    public static partial void PlaintextSecretRefused(ILogger logger, string organisationId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Webhook signing secrets protected again with the current key: {Reprotected} endpoints; {NotReprotected} due but not (tried again next run)")]
    public static partial void ReprotectPass(ILogger logger, int reprotected, int notReprotected);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Webhook signing secrets of {OrganisationId} protected again with the current key")]
    public static partial void SecretsReprotected(ILogger logger, string organisationId);
}
