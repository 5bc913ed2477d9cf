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

    [LoggerMessage(1004, LogLevel.Warning, "Incident {IncidentId} is stored but could not be queued; the sweep will queue it")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, string incidentId);

    [LoggerMessage(1005, LogLevel.Information, "Refused a malformed or invalid incident from force {ForceCode}")]
    public static partial void Refused(ILogger logger, string? forceCode);

    [LoggerMessage(1010, LogLevel.Warning, "Sweep re-queued incident {IncidentId} of force {ForceCode}: it was stored but never queued")]
    public static partial void Requeued(ILogger logger, string incidentId, string forceCode);

    [LoggerMessage(1011, LogLevel.Information, "Sweep finished: {ForceCount} forces checked, {RequeuedCount} incidents re-queued")]
    public static partial void SweepFinished(ILogger logger, int forceCount, int requeuedCount);
}
