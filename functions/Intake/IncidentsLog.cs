namespace NotifyHub.Incidents;

/// <summary>Operational events about incidents. Ids, force codes and counts only: never personal data.</summary>
internal static partial class IncidentsLog
{
    [LoggerMessage(1001, LogLevel.Information, "Incident {IncidentId} accepted from force {ForceCode}: risk {RiskLevel}, {ChildCount} children")]
    public static partial void Accepted(ILogger logger, string incidentId, string forceCode, string riskLevel, int childCount);

    [LoggerMessage(1002, LogLevel.Information, "Incident {IncidentId} from force {ForceCode} was submitted again; nothing new stored")]
    public static partial void Duplicate(ILogger logger, string incidentId, string forceCode);

    [LoggerMessage(1003, LogLevel.Warning, "Incident {IncidentId} from force {ForceCode} was refused: its reference is taken by a different incident")]
    public static partial void ReferenceConflict(ILogger logger, string incidentId, string forceCode);

    [LoggerMessage(1004, LogLevel.Warning, "Incident {IncidentId} is stored but could not be queued; reconciliation will queue it")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, string incidentId);

    [LoggerMessage(1005, LogLevel.Information, "Refused a malformed or invalid incident from force {ForceCode}")]
    public static partial void Refused(ILogger logger, string? forceCode);

    [LoggerMessage(1010, LogLevel.Warning, "Incident {IncidentId} of force {ForceCode} was overdue for routing and is queued again (re-queue {Requeue} of {MaxRequeues})")]
    public static partial void Requeued(ILogger logger, string incidentId, string forceCode, int requeue, int maxRequeues);

    [LoggerMessage(1011, LogLevel.Information, "Reconciliation finished: {ForceCount} forces checked, {RequeuedCount} incidents queued again, {StuckCount} given up on")]
    public static partial void ReconcileFinished(ILogger logger, int forceCount, int requeuedCount, int stuckCount);

    [LoggerMessage(1012, LogLevel.Error, "Incident {IncidentId} of force {ForceCode} is stuck: still not routed after being queued {Times} times; an operator must retry it")]
    public static partial void GaveUp(ILogger logger, string incidentId, string forceCode, int times);
}
