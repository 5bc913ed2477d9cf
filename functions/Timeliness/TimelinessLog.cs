namespace NotifyHub.Timeliness;

/// <summary>Timeliness's structured log events: ids, codes and times only — never names, contents or addresses.</summary>
internal static partial class TimelinessLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "SlaMonitor judged {Due} deliveries due by {AsOf}: {Late} marked late, {Escalated} escalated")]
    public static partial void Monitored(ILogger logger, DateTimeOffset asOf, int due, int late, int escalated);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Notification {NotificationId} ({RecipientType}) is late: due {DueAt}, acknowledged late: {AcknowledgedLate}")]
    public static partial void Late(ILogger logger, string notificationId, string recipientType, DateTimeOffset dueAt, bool acknowledgedLate);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Escalation of notification {NotificationId}: reminder {Reminder}, alert {Alert}")]
    public static partial void Escalated(ILogger logger, string notificationId, string reminder, string alert);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "An escalations message could not be read (dequeue count {DequeueCount}); it is discarded")]
    public static partial void Unreadable(ILogger logger, long dequeueCount);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Manifest of force {ForceCode} for {Day}: {Listed} listed, {Missing} missing at source")]
    public static partial void ManifestReconciled(ILogger logger, string forceCode, DateOnly day, int listed, int missing);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Daily digest for partnership lead {OrganisationId}: {Late} late, {Missing} missing, outcome {Outcome}")]
    public static partial void Digest(ILogger logger, string organisationId, int late, int missing, string outcome);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Escalation of notification {NotificationId}: the email to {To} could not be sent yet ({ErrorClass}); it will be retried")]
    public static partial void EscalationDeferred(ILogger logger, string notificationId, string to, string? errorClass);
}
