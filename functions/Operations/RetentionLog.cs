namespace NotifyHub.Retention;

/// <summary>Operational events of retention: counts only.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(6001, LogLevel.Information, "Purged the personal data of {Incidents} incidents and {Deliveries} deliveries, and {ChildHistoryRecords} child-history records")]
    public static partial void Purged(ILogger logger, int incidents, int deliveries, int childHistoryRecords);
}
