using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Domain.Decisions;

/// <summary>A decided incident as the report reads it: its latest decision's outcome, whether joint, and the times.</summary>
public sealed record DecidedRow(string RiskLevel, string Outcome, bool Joint, DateTimeOffset ReceivedAt, DateTimeOffset? ReportedAt, DateTimeOffset DecidedAt);

/// <summary>An incident still awaiting the MASH's decision.</summary>
public sealed record AwaitingRow(string? RiskLevel, DateTimeOffset ReceivedAt);

/// <summary>A follow-up of a decision (a version shared, a next step, a challenge): who it went to and its receipt's times.</summary>
/// <param name="Number">The decision version (shares, next steps) or the challenge's number.</param>
public sealed record FollowUpRow(string IncidentId, string Kind, string RecipientType, int Number, DateTimeOffset CreatedAt, DateTimeOffset? DueAt,
    DateTimeOffset? AcknowledgedAt, string? ChallengerType, string? Answer);

/// <summary>By risk level: how many were decided, how many within their due time, and the time from police being told to the decision.</summary>
public sealed record DecisionRiskLine(string RiskLevel, int Decided, int WithinDue, double? WithinDueRate, Distribution ReportedToDecision);

/// <summary>
/// The decisions shared with the agencies involved: versions shared; those judged (every share acknowledged or past its
/// due time); those acknowledged by every agency by its due time, and the share of judged versions that is.
/// </summary>
public sealed record SharingLine(int Versions, int Judged, int AcknowledgedByAllByDue, double? AcknowledgedByAllByDueRate, int Shares, int SharesAcknowledgedByDue);

/// <summary>Challenges raised: answered (upheld or not), open, overdue (open past their due time), by the challenger's agency type, and time to an answer.</summary>
public sealed record ChallengeLine(int Raised, int Answered, int Upheld, int NotUpheld, int Open, int Overdue, IReadOnlyDictionary<string, int> ByAgencyType,
    Distribution TimeToResolution);

/// <summary>Next steps: how many, done, done by their due day, and overdue (not done, past due).</summary>
public sealed record NextStepLine(int Total, int Done, int DoneByDue, int Overdue);

/// <summary>The decision report (docs/decisions.md, "The decision report"): counts and times only.</summary>
public sealed record DecisionReport(DateOnly From, DateOnly To, IReadOnlyList<string>? Las, int Decided, int Awaiting, int AwaitingOverdue,
    IReadOnlyDictionary<string, int> ByOutcome, int Joint, double? JointRate, IReadOnlyList<DecisionRiskLine> ByRiskLevel, SharingLine Sharing,
    ChallengeLine Challenges, NextStepLine NextSteps)
{
    /// <summary>
    /// The report, a pure function of the views' rows (already cut to the caller's scope and the range), the decision's due
    /// time by risk level, and the time now.
    /// </summary>
    public static DecisionReport Build(DateOnly from, DateOnly to, IReadOnlyList<string>? las, IReadOnlyList<DecidedRow> decided,
        IReadOnlyList<AwaitingRow> awaiting, IReadOnlyList<FollowUpRow> followUps, Func<DateTimeOffset, string?, DateTimeOffset> decisionDueAt,
        DateTimeOffset now)
    {
        var overdue = awaiting.Count(a => decisionDueAt(a.ReceivedAt, a.RiskLevel) < now);
        var byOutcome = DecisionOutcomes.All.ToDictionary(o => o.Code, o => decided.Count(r => r.Outcome == o.Code));
        var joint = decided.Count(r => r.Joint);
        var byRisk = decided.GroupBy(r => r.RiskLevel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var histogram = new DurationHistogram();
            var within = 0;
            foreach (var row in g)
            {
                if (row.DecidedAt <= decisionDueAt(row.ReceivedAt, g.Key)) within++;
                if (row.ReportedAt is { } reported) histogram.Add(Math.Max(0, (row.DecidedAt - reported).TotalSeconds));
            }
            return new DecisionRiskLine(g.Key, g.Count(), within, Rate(within, g.Count()), histogram.ToDistribution());
        }).ToList();
        return new DecisionReport(from, to, las, decided.Count, awaiting.Count, overdue, byOutcome, joint, Rate(joint, decided.Count), byRisk,
            SharingOf(followUps, now), ChallengesOf(followUps, now), StepsOf(followUps, now));
    }

    private static bool ByDue(FollowUpRow r) => r.AcknowledgedAt is { } ack && (r.DueAt is not { } due || ack <= due);

    private static SharingLine SharingOf(IReadOnlyList<FollowUpRow> rows, DateTimeOffset now)
    {
        var shares = rows.Where(r => r.Kind == DeliveryKinds.Decision).ToList();
        var versions = shares.GroupBy(r => (r.IncidentId, r.Number)).ToList();
        var judged = versions.Where(v => v.All(r => r.AcknowledgedAt is not null || r.DueAt is { } due && due < now)).ToList();
        var byAll = judged.Count(v => v.All(ByDue));
        return new SharingLine(versions.Count, judged.Count, byAll, Rate(byAll, judged.Count), shares.Count, shares.Count(ByDue));
    }

    private static ChallengeLine ChallengesOf(IReadOnlyList<FollowUpRow> rows, DateTimeOffset now)
    {
        var challenges = rows.Where(r => r.Kind == DeliveryKinds.Challenge).ToList();
        var answered = challenges.Where(c => c.AcknowledgedAt is not null).ToList();
        var histogram = new DurationHistogram();
        foreach (var c in answered) histogram.Add(Math.Max(0, (c.AcknowledgedAt!.Value - c.CreatedAt).TotalSeconds));
        var open = challenges.Where(c => c.AcknowledgedAt is null).ToList();
        var byType = challenges.GroupBy(c => c.ChallengerType ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new ChallengeLine(challenges.Count, answered.Count, answered.Count(c => c.Answer == ChallengeResponses.Upheld),
            answered.Count(c => c.Answer == ChallengeResponses.NotUpheld), open.Count, open.Count(c => c.DueAt is { } due && due < now), byType,
            histogram.ToDistribution());
    }

    private static NextStepLine StepsOf(IReadOnlyList<FollowUpRow> rows, DateTimeOffset now)
    {
        var steps = rows.Where(r => r.Kind == DeliveryKinds.NextStep).ToList();
        return new NextStepLine(steps.Count, steps.Count(s => s.AcknowledgedAt is not null), steps.Count(ByDue),
            steps.Count(s => s.AcknowledgedAt is null && s.DueAt is { } due && due < now));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
