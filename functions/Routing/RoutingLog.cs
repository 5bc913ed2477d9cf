namespace NotifyHub.Routing;

/// <summary>Operational events of routing: ids and counts only.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(2001, LogLevel.Information, "Incident {IncidentId} routed: {DeliveryCount} deliveries, {UnroutedCount} unrouted shares")]
    public static partial void Routed(ILogger logger, string incidentId, int deliveryCount, int unroutedCount);

    [LoggerMessage(2002, LogLevel.Information, "Incident {IncidentId} was already routed; nothing to do")]
    public static partial void AlreadyRouted(ILogger logger, string incidentId);

    [LoggerMessage(2003, LogLevel.Error, "Discarded a message for incident {IncidentId} of force {ForceCode}: no such incident is stored")]
    public static partial void UnknownIncident(ILogger logger, string incidentId, string forceCode);

    [LoggerMessage(2004, LogLevel.Error, "Discarded an unreadable message on the incidents queue (dequeue count {DequeueCount})")]
    public static partial void Unreadable(ILogger logger, long dequeueCount);

    [LoggerMessage(2005, LogLevel.Information, "Incident {IncidentId} is being routed by another attempt (claimed until {ClaimedUntil}); this message is not needed")]
    public static partial void ClaimedElsewhere(ILogger logger, string incidentId, DateTimeOffset claimedUntil);

    [LoggerMessage(2006, LogLevel.Warning, "Incident {IncidentId} changed while this attempt was claiming or routing it; the other attempt carries on")]
    public static partial void ClaimLost(ILogger logger, string incidentId);
}
