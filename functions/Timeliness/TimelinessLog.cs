using NotifyHub.Domain;
using NotifyHub.Domain.Delivery;

namespace NotifyHub.Timeliness;

/// <summary>Timeliness's structured log events: ids, codes and times only — never names, contents or addresses.</summary>
internal static partial class TimelinessLog
{
    /// <summary>What one run of the monitor judged, as of when (UK time, as people read it).</summary>
    public static void Monitored(ILogger logger, DateTimeOffset asOf, int due, int late, int escalated) =>
        Monitored(logger, due, UkTime.Format(asOf), late, escalated);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "SlaMonitor judged {Due} deliveries due by {AsOf}: {Late} marked late, {Escalated} escalated")]
    private static partial void Monitored(ILogger logger, int due, string asOf, int late, int escalated);

    /// <summary>
    /// A share just marked late: due when, and whether it is still unacknowledged (escalated) or was acknowledged after its
    /// due time (marked late, nobody chased) and when — UK time, as people read it. Ids and codes only.
    /// </summary>
    public static void Late(ILogger logger, DeliveryRecord delivery) =>
        Late(logger, delivery.NotificationId, delivery.RecipientType, UkTime.Format(delivery.DueAt!.Value),
            delivery.Receipt.Acknowledged is { } ack ? "acknowledged late, at " + UkTime.Format(ack.At) : "not acknowledged");

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Notification {NotificationId} ({RecipientType}) is late: due {DueAt}, {Acknowledgement}")]
    private static partial void Late(ILogger logger, string notificationId, string recipientType, string dueAt, string acknowledgement);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Escalation of notification {NotificationId}: reminder {Reminder}, alert {Alert}")]
    public static partial void Escalated(ILogger logger, string notificationId, string reminder, string alert);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "An escalations message could not be read (dequeue count {DequeueCount}); it is discarded")]
    public static partial void Unreadable(ILogger logger, long dequeueCount);

    public static void ManifestReconciled(ILogger logger, string forceCode, DateOnly day, int listed, int missing) =>
        ManifestReconciled(logger, forceCode, UkTime.Format(day), listed, missing);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Manifest of force {ForceCode} for {Day}: {Listed} listed, {Missing} missing at source")]
    private static partial void ManifestReconciled(ILogger logger, string forceCode, string day, int listed, int missing);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Daily digest for partnership lead {OrganisationId}: {Late} late, {Missing} missing, outcome {Outcome}")]
    public static partial void Digest(ILogger logger, string organisationId, int late, int missing, string outcome);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Escalation of notification {NotificationId}: the email to {To} could not be sent yet ({ErrorClass}); it will be retried")]
    public static partial void EscalationDeferred(ILogger logger, string notificationId, string to, string? errorClass);
}
