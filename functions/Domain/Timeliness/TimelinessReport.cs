namespace NotifyHub.Domain.Timeliness;

/// <summary>How a report splits its shares: by one dimension, and optionally by week or month.</summary>
public static class ReportDimensions
{
    public const string RecipientType = "recipientType";
    public const string Organisation = "organisation";
    public const string RiskLevel = "riskLevel";
    public const string La = "la";
    public const string Force = "force";

    public static readonly IReadOnlyList<string> All = [RecipientType, Organisation, RiskLevel, La, Force];

    public const string Week = "week";
    public const string Month = "month";
    public const string WholeRange = "all";

    public static readonly IReadOnlyList<string> Periods = [Week, Month, WholeRange];
}

/// <summary>A report's question: shares reported from <paramref name="From"/> to <paramref name="To"/> (local dates, inclusive).</summary>
public sealed record ReportQuery(DateOnly From, DateOnly To, string? GroupBy, string Period);

/// <summary>How long something took, over a set of shares: how many, the median and the 90th percentile, in seconds.</summary>
public sealed record Distribution(int Count, double? MedianSeconds, double? P90Seconds)
{
    public static Distribution Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d.TotalSeconds).Where(s => s >= 0).Order().ToArray();
        return sorted.Length == 0 ? new(0, null, null) : new(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    /// <summary>Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC), so a median of two is their mean.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return Math.Round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low), 3);
    }
}

/// <summary>Police-side delay per incident: occurred → attended → received by the hub, and reported → received.</summary>
public sealed record PoliceDelay(Distribution OccurredToAttended, Distribution AttendedToReceived, Distribution ReportedToReceived, Distribution OccurredToReceived);

/// <summary>One line of a report. <paramref name="Period"/> is the first day of the week (Monday) or month, or null for the whole range.</summary>
public sealed record ReportGroup(
    string? Period, string Key, int Deliveries, int DeliveredByDue, int AcknowledgedByDue, int Late, int Failed, int Unrouted, int MissingAtSource,
    double? DeliveredByDueRate, double? AcknowledgedByDueRate, Distribution TimeToDeliver, Distribution TimeToAcknowledge, PoliceDelay PoliceDelay);

public sealed record TimelinessReport(
    DateOnly From, DateOnly To, string? GroupBy, string Period, IReadOnlyList<string> Las, IReadOnlyList<ReportGroup> Groups, ReportGroup Total);

/// <summary>
/// Timeliness over a set of shares, as a pure function (domain.md, "Late and missing shares"). Times to deliver and to
/// acknowledge run from when the hub received the incident; police-side delay is counted once per incident.
/// </summary>
public static class TimelinessReports
{
    public const string NoValue = "none";

    public static TimelinessReport Compute(IEnumerable<ShareFact> facts, ReportQuery query, IReadOnlyList<string> las, DateTimeOffset now)
    {
        var inRange = facts.Where(f => f.Day >= query.From && f.Day <= query.To).ToList();
        var groups = inRange
            .GroupBy(f => (Period: PeriodOf(f.Day, query.Period), Key: KeyOf(f, query.GroupBy)))
            .OrderBy(g => g.Key.Period, StringComparer.Ordinal).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => Summarise(g.Key.Period, g.Key.Key, g.ToList(), now))
            .ToList();
        return new TimelinessReport(query.From, query.To, query.GroupBy, query.Period, las, groups, Summarise(null, "all", inRange, now));
    }

    /// <summary>The first day of the period a day falls in: the Monday of its week, the first of its month, or null for the whole range.</summary>
    public static string? PeriodOf(DateOnly day, string period) => period switch
    {
        ReportDimensions.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ReportDimensions.Month => new DateOnly(day.Year, day.Month, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The group a share falls in. NPS and CRC are distinct recipient types, so they are never merged.</summary>
    public static string KeyOf(ShareFact fact, string? groupBy) => groupBy switch
    {
        ReportDimensions.RecipientType => fact.RecipientType,
        ReportDimensions.Organisation => fact.OrganisationId ?? NoValue,
        ReportDimensions.RiskLevel => fact.RiskLevel,
        ReportDimensions.La => fact.La,
        ReportDimensions.Force => fact.ForceCode,
        _ => "all",
    };

    private static ReportGroup Summarise(string? period, string key, IReadOnlyList<ShareFact> facts, DateTimeOffset now)
    {
        var deliveries = facts.Where(f => f.IsDelivery).ToList();
        var deliveredByDue = deliveries.Count(f => f.DeliveredByDue);
        var acknowledgedByDue = deliveries.Count(f => f.AcknowledgedByDue);
        var withDue = deliveries.Count(f => f.DueAt is not null);
        var incidents = facts.Where(f => f.IncidentId is not null && f.Kind != ShareKinds.MissingAtSource)
            .GroupBy(f => f.IncidentId, StringComparer.Ordinal).Select(g => g.First()).ToList();
        return new ReportGroup(period, key,
            Deliveries: deliveries.Count,
            DeliveredByDue: deliveredByDue,
            AcknowledgedByDue: acknowledgedByDue,
            Late: deliveries.Count(f => f.IsLate(now)),
            Failed: deliveries.Count(f => f.Failed),
            Unrouted: facts.Count(f => f.Kind == ShareKinds.Unrouted),
            MissingAtSource: facts.Count(f => f.Kind == ShareKinds.MissingAtSource),
            DeliveredByDueRate: withDue == 0 ? null : Math.Round((double)deliveredByDue / withDue, 4),
            AcknowledgedByDueRate: withDue == 0 ? null : Math.Round((double)acknowledgedByDue / withDue, 4),
            TimeToDeliver: Distribution.Of(deliveries.Where(f => f.DeliveredAt is not null).Select(f => f.DeliveredAt!.Value - (f.ReceivedAt ?? f.ReportedAt))),
            TimeToAcknowledge: Distribution.Of(deliveries.Where(f => f.AcknowledgedAt is not null).Select(f => f.AcknowledgedAt!.Value - (f.ReceivedAt ?? f.ReportedAt))),
            PoliceDelay: new PoliceDelay(
                Distribution.Of(incidents.Where(f => f is { OccurredAt: not null, AttendedAt: not null }).Select(f => f.AttendedAt!.Value - f.OccurredAt!.Value)),
                Distribution.Of(incidents.Where(f => f is { AttendedAt: not null, ReceivedAt: not null }).Select(f => f.ReceivedAt!.Value - f.AttendedAt!.Value)),
                Distribution.Of(incidents.Where(f => f.ReceivedAt is not null).Select(f => f.ReceivedAt!.Value - f.ReportedAt)),
                Distribution.Of(incidents.Where(f => f is { OccurredAt: not null, ReceivedAt: not null }).Select(f => f.ReceivedAt!.Value - f.OccurredAt!.Value))));
    }
}
