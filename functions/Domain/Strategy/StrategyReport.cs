using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Domain.Strategy;

/// <summary>
/// A delivery of a strategy discussion as the report reads it (<see cref="DeliveryKinds.StrategyDue"/>, an invitation,
/// minutes or an action): who it went to, its receipt's times, and what the discussion's flow recorded on it.
/// </summary>
/// <param name="Number">The discussion's number within its incident.</param>
/// <param name="CreatedAt">What is due from the chair: when the decision opened the discussion. Minutes: when they were shared.</param>
/// <param name="ReportedAt">When police were told of the incident.</param>
/// <param name="HeldAt">What is due from the chair: when the chair says the discussion was held.</param>
public sealed record StrategyRow(string IncidentId, string Kind, string RecipientType, int Number, DateTimeOffset CreatedAt, DateTimeOffset? DueAt,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? LateAt, DateTimeOffset? ReportedAt, DateTimeOffset? HeldAt, string? Answer, DateTimeOffset? InformedAt,
    bool? Attended);

/// <summary>
/// The discussions opened: held, and still awaiting (overdue: past the time they were due to be held by). Judged: held,
/// or overdue; held within due and its share of those judged. The times from police being told of the incident, and
/// from the decision that opened the discussion, to it being held.
/// </summary>
public sealed record DiscussionLine(int Opened, int Held, int Awaiting, int AwaitingOverdue, int Judged, int HeldWithinDue, double? HeldWithinDueRate,
    Distribution IncidentToHeld, Distribution DecisionToHeld);

/// <summary>
/// Invitations, by the invitee's agency type (<c>all</c>: every type): invited; answered; invitees of discussions held
/// (their attendance recorded), how many attended and their share; how many sent information, and their share of those invited.
/// </summary>
public sealed record InvitationLine(string AgencyType, int Invited, int Answered, double? AnsweredRate, int AttendanceRecorded, int Attended,
    double? AttendedRate, int SentInformation, double? SentInformationRate);

/// <summary>
/// The minutes, by the invitee's agency type (<c>all</c>: every type) — the Dorset measure: minutes shared, acknowledged
/// (read) at all, judged (acknowledged, or past their due time), acknowledged by their due time and the share of those judged.
/// </summary>
public sealed record MinutesLine(string AgencyType, int Shared, int Acknowledged, int Judged, int AcknowledgedByDue, double? AcknowledgedByDueRate);

/// <summary>
/// Probation consulted: of the discussions scheduled (any invitee), those with an NPS or a CRC SPOC invited and their
/// share; those where an SPOC answered, sent information, attended.
/// </summary>
public sealed record ProbationLine(int Scheduled, int Invited, double? InvitedRate, int Answered, int SentInformation, int Attended);

/// <summary>Actions agreed at the discussions: how many, done (acknowledged), done by their due time, and overdue (not done, past due).</summary>
public sealed record ActionLine(int Total, int Done, int DoneByDue, int Overdue);

/// <summary>The strategy report (docs/strategy-discussions.md, "Reports"): counts and times only, never a child or what anyone wrote.</summary>
public sealed record StrategyReport(DateOnly From, DateOnly To, IReadOnlyList<string>? Las, DiscussionLine Discussions, InvitationLine Invitations,
    IReadOnlyList<InvitationLine> InvitationsByAgencyType, MinutesLine Minutes, IReadOnlyList<MinutesLine> MinutesByAgencyType, ProbationLine Probation,
    ActionLine Actions)
{
    public const string AllTypes = "all";

    /// <summary>The report, a pure function of the view's rows (already cut to the caller's scope and the range) and the time now.</summary>
    public static StrategyReport Build(DateOnly from, DateOnly to, IReadOnlyList<string>? las, IReadOnlyList<StrategyRow> rows, DateTimeOffset now)
    {
        var invitations = rows.Where(r => r.Kind == DeliveryKinds.Invitation).ToList();
        var minutes = rows.Where(r => r.Kind == DeliveryKinds.Minutes).ToList();
        return new StrategyReport(from, to, las, DiscussionsOf(rows.Where(r => r.Kind == DeliveryKinds.StrategyDue).ToList(), now),
            InvitationsOf(AllTypes, invitations), ByType(invitations, InvitationsOf),
            MinutesOf(AllTypes, minutes, now), ByType(minutes, (type, g) => MinutesOf(type, g, now)),
            ProbationOf(invitations), ActionsOf(rows.Where(r => r.Kind == DeliveryKinds.Action).ToList(), now));
    }

    /// <summary>Past its due time: marked late by the lateness monitor, or its due time passed.</summary>
    private static bool PastDue(StrategyRow r, DateTimeOffset now) => r.LateAt is not null || r.DueAt is { } due && due < now;

    private static bool AcknowledgedByDue(StrategyRow r) => r.AcknowledgedAt is { } ack && (r.DueAt is not { } due || ack <= due);

    private static DiscussionLine DiscussionsOf(IReadOnlyList<StrategyRow> due, DateTimeOffset now)
    {
        var held = due.Where(d => d.HeldAt is not null).ToList();
        var awaiting = due.Where(d => d.HeldAt is null).ToList();
        var overdue = awaiting.Count(d => PastDue(d, now));
        var withinDue = held.Count(d => d.DueAt is not { } by || d.HeldAt <= by);
        var fromIncident = new DurationHistogram();
        var fromDecision = new DurationHistogram();
        foreach (var d in held)
        {
            if (d.ReportedAt is { } reported) fromIncident.Add(Math.Max(0, (d.HeldAt!.Value - reported).TotalSeconds));
            fromDecision.Add(Math.Max(0, (d.HeldAt!.Value - d.CreatedAt).TotalSeconds));
        }
        var judged = held.Count + overdue;
        return new DiscussionLine(due.Count, held.Count, awaiting.Count, overdue, judged, withinDue, Rate(withinDue, judged), fromIncident.ToDistribution(),
            fromDecision.ToDistribution());
    }

    private static InvitationLine InvitationsOf(string type, IReadOnlyList<StrategyRow> invitations)
    {
        var answered = invitations.Count(i => i.Answer is not null);
        var recorded = invitations.Count(i => i.Attended is not null);
        var attended = invitations.Count(i => i.Attended == true);
        var informed = invitations.Count(i => i.InformedAt is not null);
        return new InvitationLine(type, invitations.Count, answered, Rate(answered, invitations.Count), recorded, attended, Rate(attended, recorded), informed,
            Rate(informed, invitations.Count));
    }

    private static MinutesLine MinutesOf(string type, IReadOnlyList<StrategyRow> minutes, DateTimeOffset now)
    {
        var judged = minutes.Count(m => m.AcknowledgedAt is not null || PastDue(m, now));
        var byDue = minutes.Count(AcknowledgedByDue);
        return new MinutesLine(type, minutes.Count, minutes.Count(m => m.AcknowledgedAt is not null), judged, byDue, Rate(byDue, judged));
    }

    private static ProbationLine ProbationOf(IReadOnlyList<StrategyRow> invitations)
    {
        var discussions = invitations.GroupBy(i => (i.IncidentId, i.Number)).ToList();
        var consulted = discussions.Select(g => g.Where(i => i.RecipientType is OrganisationTypes.NpsSpoc or OrganisationTypes.CrcSpoc).ToList())
            .Where(spocs => spocs.Count > 0).ToList();
        return new ProbationLine(discussions.Count, consulted.Count, Rate(consulted.Count, discussions.Count), consulted.Count(s => s.Any(i => i.Answer is not null)),
            consulted.Count(s => s.Any(i => i.InformedAt is not null)), consulted.Count(s => s.Any(i => i.Attended == true)));
    }

    private static ActionLine ActionsOf(IReadOnlyList<StrategyRow> actions, DateTimeOffset now) =>
        new(actions.Count, actions.Count(a => a.AcknowledgedAt is not null), actions.Count(AcknowledgedByDue),
            actions.Count(a => a.AcknowledgedAt is null && PastDue(a, now)));

    /// <summary>One line per agency type that had any, in the order the pages list types.</summary>
    private static IReadOnlyList<T> ByType<T>(IReadOnlyList<StrategyRow> rows, Func<string, IReadOnlyList<StrategyRow>, T> line) =>
        [.. rows.GroupBy(r => r.RecipientType).OrderBy(g => ReportLabels.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => line(g.Key, g.ToList()))];

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
