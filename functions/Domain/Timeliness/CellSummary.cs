using System.Text.Json.Serialization;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// Durations in seconds as counts per bucket: to the second below an hour, then in 1% steps — so a median or a p90
/// read from it is exact to the second for the minutes a delivery takes and within 1% for the hours an acknowledgement
/// can take, and its size does not grow with the number of shares.
/// </summary>
public sealed class DurationHistogram
{
    private const int ExactBelow = 3600;
    private static readonly double Step = Math.Log(1.01);

    [JsonInclude] public Dictionary<int, int> Buckets { get; private set; } = [];

    public void Add(double seconds)
    {
        if (seconds < 0 || double.IsNaN(seconds)) return; // clocks that disagree
        var bucket = seconds < ExactBelow ? (int)Math.Floor(seconds) : ExactBelow + (int)Math.Floor(Math.Log(seconds / ExactBelow) / Step);
        Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + 1;
    }

    public void Merge(DurationHistogram other)
    {
        foreach (var (bucket, count) in other.Buckets) Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + count;
    }

    private static double ValueOf(int bucket) => bucket < ExactBelow ? bucket : Math.Round(ExactBelow * Math.Exp((bucket - ExactBelow + 0.5) * Step));

    /// <summary>Count, median and p90 (linear interpolation between closest ranks, as PERCENTILE.INC) over the bucket values.</summary>
    public Distribution ToDistribution()
    {
        var ordered = Buckets.Where(b => b.Value > 0).OrderBy(b => b.Key).Select(b => (Value: ValueOf(b.Key), Count: b.Value)).ToList();
        var n = ordered.Sum(b => b.Count);
        if (n == 0) return new Distribution(0, null, null);
        double At(long rank)
        {
            foreach (var (value, count) in ordered)
            {
                if (rank < count) return value;
                rank -= count;
            }
            return ordered[^1].Value;
        }
        double Percentile(double p)
        {
            var rank = p * (n - 1);
            var low = (long)Math.Floor(rank);
            var high = (long)Math.Ceiling(rank);
            return Math.Round(At(low) + (At(high) - At(low)) * (rank - low), 3);
        }
        return new Distribution(n, Percentile(0.5), Percentile(0.9));
    }
}

/// <summary>Police-side delay of a set of incidents, each counted once.</summary>
public sealed class PoliceDelayHistograms
{
    [JsonInclude] public DurationHistogram OccurredToAttended { get; private set; } = new();
    [JsonInclude] public DurationHistogram AttendedToReceived { get; private set; } = new();
    [JsonInclude] public DurationHistogram ReportedToReceived { get; private set; } = new();
    [JsonInclude] public DurationHistogram OccurredToReceived { get; private set; } = new();

    public void Add(ShareFact f)
    {
        if (f is { OccurredAt: { } o, AttendedAt: { } a }) OccurredToAttended.Add((a - o).TotalSeconds);
        if (f is { AttendedAt: { } at, ReceivedAt: { } r1 }) AttendedToReceived.Add((r1 - at).TotalSeconds);
        if (f.ReceivedAt is { } r2) ReportedToReceived.Add((r2 - f.ReportedAt).TotalSeconds);
        if (f is { OccurredAt: { } o2, ReceivedAt: { } r3 }) OccurredToReceived.Add((r3 - o2).TotalSeconds);
    }

    public void Merge(PoliceDelayHistograms other)
    {
        OccurredToAttended.Merge(other.OccurredToAttended);
        AttendedToReceived.Merge(other.AttendedToReceived);
        ReportedToReceived.Merge(other.ReportedToReceived);
        OccurredToReceived.Merge(other.OccurredToReceived);
    }

    public PoliceDelay ToPoliceDelay() =>
        new(OccurredToAttended.ToDistribution(), AttendedToReceived.ToDistribution(), ReportedToReceived.ToDistribution(), OccurredToReceived.ToDistribution());
}

/// <summary>The counts of the shares of one recipient type, risk level and force in one LA and day.</summary>
public sealed class ShareCounts
{
    [JsonInclude] public string RecipientType { get; init; } = "";
    [JsonInclude] public string RiskLevel { get; init; } = "";
    [JsonInclude] public string ForceCode { get; init; } = "";
    [JsonInclude] public int Deliveries { get; set; }
    [JsonInclude] public int WithDue { get; set; }
    [JsonInclude] public int DeliveredByDue { get; set; }
    [JsonInclude] public int AcknowledgedByDue { get; set; }
    [JsonInclude] public int AcknowledgedLate { get; set; }
    [JsonInclude] public int Failed { get; set; }
    [JsonInclude] public int Unrouted { get; set; }
    [JsonInclude] public int MissingAtSource { get; set; }
    /// <summary>Shares the LA front door withheld: counted apart, never as late or missing.</summary>
    [JsonInclude] public int Withheld { get; set; }
    /// <summary>Due times (Unix seconds) of the deliveries not acknowledged: late once that time has passed.</summary>
    [JsonInclude] public List<long> UnacknowledgedDue { get; private set; } = [];
    [JsonInclude] public DurationHistogram ToDeliver { get; private set; } = new();
    [JsonInclude] public DurationHistogram ToAcknowledge { get; private set; } = new();

    public int LateAt(DateTimeOffset now) => AcknowledgedLate + UnacknowledgedDue.Count(due => due < now.ToUnixTimeSeconds());
}

/// <summary>
/// What the reports need of one LA and day, summarised from its shares' facts whenever they change: counts, due times
/// still open, and duration histograms, by recipient type, risk level and force — so a report reads a few kilobytes per LA
/// and day however many deliveries there were. (Not by organisation: an LA has hundreds of schools, so a summary by
/// organisation would be as large as the facts; a report by organisation reads the facts.) Police-side delay is kept per
/// incident dimension (risk level and force) and per recipient type, each counting an incident once, so grouping by any
/// dimension counts each incident once per group.
/// </summary>
public sealed class CellSummary
{
    [JsonInclude] public List<ShareCounts> Shares { get; private set; } = [];
    /// <summary>Keyed <c>{riskLevel}|{forceCode}</c>.</summary>
    [JsonInclude] public Dictionary<string, PoliceDelayHistograms> PoliceByIncident { get; private set; } = [];
    [JsonInclude] public Dictionary<string, PoliceDelayHistograms> PoliceByType { get; private set; } = [];

    public static CellSummary Of(IEnumerable<ShareFact> facts)
    {
        var summary = new CellSummary();
        var counts = new Dictionary<(string, string, string), ShareCounts>();
        var seen = new HashSet<(string, string)>();
        foreach (var f in facts)
        {
            var id = (f.RecipientType, f.RiskLevel, f.ForceCode);
            if (!counts.TryGetValue(id, out var c))
                counts[id] = c = new ShareCounts { RecipientType = f.RecipientType, RiskLevel = f.RiskLevel, ForceCode = f.ForceCode };
            switch (f.Kind)
            {
                case ShareKinds.Unrouted: c.Unrouted++; break;
                case ShareKinds.Withheld: c.Withheld++; break;
                case ShareKinds.MissingAtSource: c.MissingAtSource++; continue; // no incident the hub received: no police-side delay
                default:
                    c.Deliveries++;
                    if (f.DueAt is { } due)
                    {
                        c.WithDue++;
                        if (f.AcknowledgedAt is { } ack) { if (ack > due) c.AcknowledgedLate++; }
                        else c.UnacknowledgedDue.Add(due.ToUnixTimeSeconds() + (due.Millisecond > 0 ? 1 : 0));
                    }
                    if (f.DeliveredByDue) c.DeliveredByDue++;
                    if (f.AcknowledgedByDue) c.AcknowledgedByDue++;
                    if (f.Failed) c.Failed++;
                    var start = f.ReceivedAt ?? f.ReportedAt;
                    if (f.DeliveredAt is { } delivered) c.ToDeliver.Add((delivered - start).TotalSeconds);
                    if (f.AcknowledgedAt is { } acknowledged) c.ToAcknowledge.Add((acknowledged - start).TotalSeconds);
                    break;
            }
            if (f.IncidentId is not { } incident) continue;
            void Once(Dictionary<string, PoliceDelayHistograms> by, string key)
            {
                if (!seen.Add((key, incident))) return;
                if (!by.TryGetValue(key, out var h)) by[key] = h = new PoliceDelayHistograms();
                h.Add(f);
            }
            Once(summary.PoliceByIncident, f.RiskLevel + "|" + f.ForceCode);
            Once(summary.PoliceByType, "type:" + f.RecipientType);
        }
        summary.Shares = counts.Values.ToList();
        // The "seen" keys carry a prefix so the two dimensions do not collide; the dictionary keeps the plain key.
        summary.PoliceByType = summary.PoliceByType.ToDictionary(p => p.Key["type:".Length..], p => p.Value);
        return summary;
    }
}
