using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Domain.FrontDoor;

/// <summary>One share that went through the front door, as the front-door view keeps it: ids, codes and times only.</summary>
public sealed record HopRow(string IncidentId, string La, string Via, string RecipientType, string RiskLevel, DateTimeOffset HeldAt, DateTimeOffset ReleaseDueAt,
    DateTimeOffset? RecipientDueAt, string State, DateTimeOffset? At, string? Reason, DateTimeOffset? LateAt = null, bool? OnTime = null)
{
    /// <summary>Still held past its release time (by the clock, or as the lateness monitor judged its share late).</summary>
    public bool Overdue(DateTimeOffset now) => State == HoldStates.Held && (ReleaseDueAt < now || LateAt is not null);
}

/// <summary>Front-door timeliness for one relay or for them all.</summary>
/// <param name="Held">Shares that went through the front door in the period.</param>
/// <param name="StillHeld">Of those, not yet released or withheld; <paramref name="StillHeldOverdue"/> of them past their release time (<see cref="HopRow.Overdue"/>).</param>
/// <param name="TimeHeld">From held to released, sent on or withheld, in seconds (median and p90; decided shares only).</param>
/// <param name="ReleasedOnTime">Released by the relay by its release time.</param>
/// <param name="ReleasedLate">Released by the relay after its release time.</param>
/// <param name="AutoReleased">Sent on by the hub, not reviewed, because the release was late and the area chose so.</param>
/// <param name="Withheld">Withheld, by reason (<see cref="WithholdReasons"/>): not late and not missing.</param>
public sealed record HopLine(string Key, int Held, int StillHeld, int StillHeldOverdue, Distribution TimeHeld, int Released, int ReleasedOnTime, int ReleasedLate,
    double? ReleasedOnTimeRate, int AutoReleased, int Withheld, IReadOnlyDictionary<string, int> WithheldByReason);

public sealed record FrontDoorReport(DateOnly From, DateOnly To, IReadOnlyList<string>? Las, HopLine Total, IReadOnlyList<HopLine> ByRelay,
    IReadOnlyList<HopLine> ByRecipientType);

public static class FrontDoorReports
{
    /// <summary>The report over the hops held on <paramref name="from"/>–<paramref name="to"/> (UK dates), as of <paramref name="now"/>.</summary>
    public static FrontDoorReport Build(DateOnly from, DateOnly to, IReadOnlyList<string>? las, IEnumerable<HopRow> rows, DateTimeOffset now)
    {
        var inRange = rows.Where(r => UkTime.DateOf(r.HeldAt) is var day && day >= from && day <= to).ToList();
        return new FrontDoorReport(from, to, las, Line("all", inRange, now),
            inRange.GroupBy(r => r.Via).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, [.. g], now)).ToList(),
            inRange.GroupBy(r => r.RecipientType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, [.. g], now)).ToList());
    }

    private static HopLine Line(string key, IReadOnlyList<HopRow> rows, DateTimeOffset now)
    {
        var held = rows.Where(r => r.State == HoldStates.Held).ToList();
        var time = new DurationHistogram();
        foreach (var r in rows)
        {
            if (r.State != HoldStates.Held && r.At is { } at) time.Add((at - r.HeldAt).TotalSeconds);
        }
        var released = rows.Where(r => r.State == HoldStates.Released).ToList();
        var onTime = released.Count(r => r.OnTime ?? r.At <= r.ReleaseDueAt);
        var withheld = rows.Where(r => r.State == HoldStates.Withheld).ToList();
        return new HopLine(key, rows.Count, held.Count, held.Count(r => r.Overdue(now)), time.ToDistribution(), released.Count, onTime,
            released.Count - onTime, released.Count == 0 ? null : Math.Round((double)onTime / released.Count, 4),
            rows.Count(r => r.State == HoldStates.AutoReleased), withheld.Count,
            withheld.GroupBy(r => r.Reason ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }
}
