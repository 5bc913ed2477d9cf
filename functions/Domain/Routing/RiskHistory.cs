namespace NotifyHub.Domain.Routing;

/// <summary>Cumulative risk (domain.md): how many earlier incidents a child had in the last 12 months.</summary>
public static class RiskHistory
{
    /// <summary>
    /// The earlier incident times in the 12 months before <paramref name="incidentTime"/>: from the same
    /// instant a calendar year earlier (inclusive) up to, not including, <paramref name="incidentTime"/>
    /// — so this incident, and any recorded after it, never count. Times are instants; the caller
    /// passes one time per distinct earlier incident.
    /// </summary>
    public static int CountPrior(IEnumerable<DateTimeOffset> earlierIncidentTimes, DateTimeOffset incidentTime)
    {
        var from = incidentTime.AddYears(-1);
        return earlierIncidentTimes.Count(t => t >= from && t < incidentTime);
    }

    /// <summary>How long a window "3 or more incidents" is counted over (domain.md, "Cumulative risk").</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(90);

    public const int RepeatThreshold = 3;

    /// <summary>
    /// How many incidents the child has had in the 90 days up to and including this one (the earlier ones within the
    /// window, plus this): a child with 3 or more is listed for the MASH.
    /// </summary>
    public static int CountInRepeatWindow(IEnumerable<DateTimeOffset> earlierIncidentTimes, DateTimeOffset incidentTime) =>
        earlierIncidentTimes.Count(t => t >= incidentTime - RepeatWindow && t < incidentTime) + 1;
}
