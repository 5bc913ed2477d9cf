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
public sealed record Distribution(int Count, double? MedianSeconds, double? P90Seconds);

/// <summary>Police-side delay per incident: occurred → attended → received by the hub, and reported → received.</summary>
public sealed record PoliceDelay(Distribution OccurredToAttended, Distribution AttendedToReceived, Distribution ReportedToReceived, Distribution OccurredToReceived);

/// <summary>One line of a report. <paramref name="Period"/> is the first day of the week (Monday) or month, or null for the whole range.</summary>
public sealed record ReportGroup(
    string? Period, string Key, int Deliveries, int DeliveredByDue, int AcknowledgedByDue, int Late, int Failed, int Unrouted, int MissingAtSource,
    double? DeliveredByDueRate, double? AcknowledgedByDueRate, Distribution TimeToDeliver, Distribution TimeToAcknowledge, PoliceDelay PoliceDelay,
    int Withheld = 0);

public sealed record TimelinessReport(
    DateOnly From, DateOnly To, string? GroupBy, string Period, IReadOnlyList<string> Las, IReadOnlyList<ReportGroup> Groups, ReportGroup Total);

/// <summary>
/// Timeliness over a set of shares, as a pure function (domain.md, "Late and missing shares"). Times to deliver and to
/// acknowledge run from when the hub received the incident; police-side delay is counted once per incident.
/// </summary>
public static class TimelinessReports
{
    public const string NoValue = "none";

    /// <summary>One LA and day of summarised shares: what the rollups hold for the reports.</summary>
    public sealed record Cell(string La, DateOnly Day, CellSummary Summary);

    /// <summary>
    /// The report over shares' facts: summarised by LA and day first, exactly as the rollups are — and by organisation, one
    /// summary per organisation (the rollups' summaries do not keep organisations), so each share is counted the same way.
    /// </summary>
    public static TimelinessReport Compute(IEnumerable<ShareFact> facts, ReportQuery query, IReadOnlyList<string> las, DateTimeOffset now)
    {
        var inRange = facts.Where(f => f.Day >= query.From && f.Day <= query.To);
        if (query.GroupBy != ReportDimensions.Organisation)
            return FromCells(inRange.GroupBy(f => (f.La, f.Day)).Select(g => new Cell(g.Key.La, g.Key.Day, CellSummary.Of(g))), query, las, now);
        // By organisation: report each organisation's shares as a group of its own, then the whole as the total.
        var all = FromCells(inRange.GroupBy(f => (f.La, f.Day)).Select(g => new Cell(g.Key.La, g.Key.Day, CellSummary.Of(g))),
            query with { GroupBy = null }, las, now);
        var groups = inRange.GroupBy(f => f.OrganisationId ?? NoValue)
            .SelectMany(org => FromCells(org.GroupBy(f => (f.La, f.Day)).Select(g => new Cell(g.Key.La, g.Key.Day, CellSummary.Of(g))),
                query with { GroupBy = null }, las, now).Groups.Select(g => g with { Key = org.Key }))
            .OrderBy(g => g.Period, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return all with { GroupBy = query.GroupBy, Groups = groups };
    }

    /// <summary>
    /// The report over summarised cells (the rollups): counts add up, histograms merge, police-side delay once per incident.
    /// Not by organisation: the summaries do not keep organisations (see <see cref="Compute"/>).
    /// </summary>
    public static TimelinessReport FromCells(IEnumerable<Cell> cells, ReportQuery query, IReadOnlyList<string> las, DateTimeOffset now)
    {
        var groups = new Dictionary<(string? Period, string Key), Accumulator>();
        var total = new Accumulator();
        Accumulator Group(string? period, string key)
        {
            if (!groups.TryGetValue((period, key), out var group)) groups[(period, key)] = group = new Accumulator();
            return group;
        }
        foreach (var cell in cells)
        {
            if (cell.Day < query.From || cell.Day > query.To) continue;
            var period = PeriodOf(cell.Day, query.Period);
            foreach (var shares in cell.Summary.Shares)
            {
                var key = query.GroupBy switch
                {
                    ReportDimensions.RecipientType => shares.RecipientType,
                    ReportDimensions.RiskLevel => shares.RiskLevel,
                    ReportDimensions.La => cell.La,
                    ReportDimensions.Force => shares.ForceCode,
                    _ => "all",
                };
                Group(period, key).Add(shares, now);
                total.Add(shares, now);
            }
            // Police-side delay: from the histograms that count each incident once for the dimension grouped by.
            foreach (var (key, police) in cell.Summary.PoliceByIncident)
            {
                total.Police.Merge(police);
                var (risk, force) = (key[..key.IndexOf('|')], key[(key.IndexOf('|') + 1)..]);
                var group = query.GroupBy switch
                {
                    ReportDimensions.RiskLevel => risk,
                    ReportDimensions.Force => force,
                    ReportDimensions.La => cell.La,
                    ReportDimensions.RecipientType => null,
                    _ => "all",
                };
                if (group is not null) Group(period, group).Police.Merge(police);
            }
            if (query.GroupBy == ReportDimensions.RecipientType)
            {
                foreach (var (key, police) in cell.Summary.PoliceByType) Group(period, key).Police.Merge(police);
            }
        }
        var lines = groups.OrderBy(g => g.Key.Period, StringComparer.Ordinal).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => g.Value.Summarise(g.Key.Period, g.Key.Key)).ToList();
        return new TimelinessReport(query.From, query.To, query.GroupBy, query.Period, las, lines, total.Summarise(null, "all"));
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

    /// <summary>A group's counts and histograms, added up from the cells.</summary>
    private sealed class Accumulator
    {
        private int _deliveries, _deliveredByDue, _acknowledgedByDue, _withDue, _late, _failed, _unrouted, _missing, _withheld;
        private readonly DurationHistogram _toDeliver = new(), _toAcknowledge = new();
        public PoliceDelayHistograms Police { get; } = new();

        public void Add(ShareCounts c, DateTimeOffset now)
        {
            _deliveries += c.Deliveries;
            _withDue += c.WithDue;
            _deliveredByDue += c.DeliveredByDue;
            _acknowledgedByDue += c.AcknowledgedByDue;
            _late += c.LateAt(now);
            _failed += c.Failed;
            _unrouted += c.Unrouted;
            _missing += c.MissingAtSource;
            _withheld += c.Withheld;
            _toDeliver.Merge(c.ToDeliver);
            _toAcknowledge.Merge(c.ToAcknowledge);
        }

        public ReportGroup Summarise(string? period, string key) => new(period, key,
            Deliveries: _deliveries,
            DeliveredByDue: _deliveredByDue,
            AcknowledgedByDue: _acknowledgedByDue,
            Late: _late,
            Failed: _failed,
            Unrouted: _unrouted,
            MissingAtSource: _missing,
            DeliveredByDueRate: _withDue == 0 ? null : Math.Round((double)_deliveredByDue / _withDue, 4),
            AcknowledgedByDueRate: _withDue == 0 ? null : Math.Round((double)_acknowledgedByDue / _withDue, 4),
            TimeToDeliver: _toDeliver.ToDistribution(),
            TimeToAcknowledge: _toAcknowledge.ToDistribution(),
            PoliceDelay: Police.ToPoliceDelay(),
            Withheld: _withheld);
    }
}
