using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Functions;
using NotifyHub.Strategy;

namespace NotifyHub.Tests.Strategy;

/// <summary>
/// The strategy report (issue 20, item 5): the view it is read from, and its numbers as a pure function of the view's rows —
/// every expected number worked out by hand from the rows below.
/// </summary>
public sealed class StrategyReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly From = new(2026, 11, 1), To = new(2026, 11, 30);
    private const string Incident = "inc_0123456789abcdef0123456789abcdef";

    private static StrategyRow Due(string incident, double openedDaysAgo, double dueInDays, double? heldDaysAgo, double reportedDaysAgo) =>
        new(incident, DeliveryKinds.StrategyDue, "mash", 1, Now.AddDays(-openedDaysAgo), Now.AddDays(dueInDays), heldDaysAgo is { } h ? Now.AddDays(-h + 0.01) : null,
            null, Now.AddDays(-reportedDaysAgo), heldDaysAgo is { } held ? Now.AddDays(-held) : null, null, null, null);

    private static StrategyRow Invitation(string incident, string type, string? answer, bool? attended, bool informed = false) =>
        new(incident, DeliveryKinds.Invitation, type, 1, Now.AddDays(-5), Now.AddDays(-4.9), answer is null ? null : Now.AddDays(-4.95), null, null, null, answer,
            informed ? Now.AddDays(-4.92) : null, attended);

    private static StrategyRow Minutes(string incident, string type, double sharedDaysAgo, double dueInDays, double? acknowledgedDaysAgo, double? lateDaysAgo = null) =>
        new(incident, DeliveryKinds.Minutes, type, 1, Now.AddDays(-sharedDaysAgo), Now.AddDays(dueInDays), acknowledgedDaysAgo is { } a ? Now.AddDays(-a) : null,
            lateDaysAgo is { } l ? Now.AddDays(-l) : null, null, null, null, null, null);

    private static StrategyRow Action(string incident, string type, double dueInDays, double? doneDaysAgo, double? lateDaysAgo = null) =>
        new(incident, DeliveryKinds.Action, type, 1, Now.AddDays(-4), Now.AddDays(dueInDays), doneDaysAgo is { } d ? Now.AddDays(-d) : null,
            lateDaysAgo is { } l ? Now.AddDays(-l) : null, null, null, null, null, null);

    /// <summary>
    /// Four discussions: <c>a</c> held within its due time, <c>b</c> held after it, <c>c</c> scheduled, not held and past its
    /// due time, <c>d</c> opened an hour ago and not yet scheduled.
    /// </summary>
    private static readonly IReadOnlyList<StrategyRow> Rows =
    [
        Due("a", openedDaysAgo: 5, dueInDays: -4, heldDaysAgo: 4.5, reportedDaysAgo: 6),
        Due("b", openedDaysAgo: 5, dueInDays: -4, heldDaysAgo: 3, reportedDaysAgo: 5.5),
        Due("c", openedDaysAgo: 1, dueInDays: -0.5, heldDaysAgo: null, reportedDaysAgo: 1.5),
        Due("d", openedDaysAgo: 1.0 / 24, dueInDays: 2, heldDaysAgo: null, reportedDaysAgo: 1),
        // a: the school came; the NPS could not but sent information; the CRC never answered.
        Invitation("a", "school", InvitationAnswers.Attending, attended: true),
        Invitation("a", "nps-spoc", InvitationAnswers.SendingInformation, attended: false, informed: true),
        Invitation("a", "crc-spoc", null, attended: false),
        // b: the school could not come; the health visitor came and sent information.
        Invitation("b", "school", InvitationAnswers.CannotAttend, attended: false),
        Invitation("b", "health-visiting-team", InvitationAnswers.Attending, attended: true, informed: true),
        // c, not held: nobody's attendance is recorded.
        Invitation("c", "school", InvitationAnswers.Attending, attended: null),
        Invitation("c", "police-force", null, attended: null),
        // a's minutes, due three days ago: the school read them in time, the NPS late, the CRC never.
        Minutes("a", "school", sharedDaysAgo: 4, dueInDays: -3, acknowledgedDaysAgo: 3.5),
        Minutes("a", "nps-spoc", sharedDaysAgo: 4, dueInDays: -3, acknowledgedDaysAgo: 2),
        Minutes("a", "crc-spoc", sharedDaysAgo: 4, dueInDays: -3, acknowledgedDaysAgo: null),
        // b's minutes, shared an hour ago and due tomorrow: the school has read them; the health visitor not yet, and it is not yet due.
        Minutes("b", "school", sharedDaysAgo: 1.0 / 24, dueInDays: 1, acknowledgedDaysAgo: 0.5 / 24),
        Minutes("b", "health-visiting-team", sharedDaysAgo: 1.0 / 24, dueInDays: 1, acknowledgedDaysAgo: null),
        Action("a", "school", dueInDays: -2, doneDaysAgo: 3),
        Action("a", "nps-spoc", dueInDays: -2, doneDaysAgo: 1),
        Action("a", "crc-spoc", dueInDays: -1, doneDaysAgo: null),
        // Marked late by the lateness monitor run ahead of the clock: overdue, though its due time has not come by this clock.
        Action("b", "health-visiting-team", dueInDays: 1, doneDaysAgo: null, lateDaysAgo: 1.0 / 24),
        Action("b", "school", dueInDays: 2, doneDaysAgo: null),
    ];

    private static readonly StrategyReport Report = StrategyReport.Build(From, To, ["840"], Rows, Now);

    /// <summary>Durations above an hour are kept in 1% buckets (<see cref="DurationHistogram"/>): within 1% of the exact figure.</summary>
    private static void Near(double expectedSeconds, double? actual) =>
        Assert.True(actual is { } a && Math.Abs(a - expectedSeconds) <= expectedSeconds * 0.01, $"expected about {expectedSeconds}s, got {actual}");

    [Fact]
    public void Discussions_are_counted_opened_held_and_awaiting_and_the_share_held_by_the_due_time_is_of_those_held_or_overdue()
    {
        var d = Report.Discussions;
        // Opened 4; held a and b; c and d not, c past its due time; judged a, b and c; within due: a only.
        Assert.Equal<(int, int, int, int, int, int, double?)>((4, 2, 2, 1, 3, 1, 0.3333), (d.Opened, d.Held, d.Awaiting, d.AwaitingOverdue, d.Judged, d.HeldWithinDue, d.HeldWithinDueRate));
    }

    [Fact]
    public void The_times_to_the_discussion_being_held_run_from_police_being_told_and_from_the_decision_median_and_p90_over_those_held()
    {
        var d = Report.Discussions;
        // From police being told: a 1.5 days (129,600 s), b 2.5 days (216,000 s). Median 172,800 s; p90 129,600 + 0.9 × 86,400 = 207,360 s.
        Assert.Equal(2, d.IncidentToHeld.Count);
        Near(172_800, d.IncidentToHeld.MedianSeconds);
        Near(207_360, d.IncidentToHeld.P90Seconds);
        // From the decision (the discussion opened): a 0.5 days (43,200 s), b 2 days (172,800 s). Median 108,000 s; p90 43,200 + 0.9 × 129,600 = 159,840 s.
        Assert.Equal(2, d.DecisionToHeld.Count);
        Near(108_000, d.DecisionToHeld.MedianSeconds);
        Near(159_840, d.DecisionToHeld.P90Seconds);
    }

    [Fact]
    public void Invitations_count_answers_attendance_of_the_discussions_held_and_information_sent_in_total_and_by_agency_type_in_the_pages_order()
    {
        // 7 invited; 5 answered; 5 at discussions held (a's 3, b's 2), of whom 2 attended; 2 sent information.
        Assert.Equal(new InvitationLine("all", 7, 5, 0.7143, 5, 2, 0.4, 2, 0.2857), Report.Invitations);
        Assert.Equal(
        [
            new InvitationLine("school", 3, 3, 1, 2, 1, 0.5, 0, 0),
            new InvitationLine("health-visiting-team", 1, 1, 1, 1, 1, 1, 1, 1),
            new InvitationLine("nps-spoc", 1, 1, 1, 1, 0, 0, 1, 1),
            new InvitationLine("crc-spoc", 1, 0, 0, 1, 0, 0, 0, 0),
            // The force was invited only to c, not held: no attendance to divide by.
            new InvitationLine("police-force", 1, 0, 0, 0, 0, null, 0, 0),
        ], Report.InvitationsByAgencyType);
    }

    [Fact]
    public void The_Dorset_measure_is_the_share_of_minutes_acknowledged_by_their_due_time_of_those_acknowledged_or_past_due_by_agency_type()
    {
        // 5 shared; 3 read; judged: a's three (past due) and b's school (read); by due: a's school and b's school.
        Assert.Equal(new MinutesLine("all", 5, 3, 4, 2, 0.5), Report.Minutes);
        Assert.Equal(
        [
            new MinutesLine("school", 2, 2, 2, 2, 1),
            // Not read, not yet due: not judged, so no share yet.
            new MinutesLine("health-visiting-team", 1, 0, 0, 0, null),
            new MinutesLine("nps-spoc", 1, 1, 1, 0, 0),
            new MinutesLine("crc-spoc", 1, 0, 1, 0, 0),
        ], Report.MinutesByAgencyType);
    }

    [Fact]
    public void Minutes_the_lateness_monitor_marked_late_are_judged_even_before_this_clock_reaches_their_due_time()
    {
        var report = StrategyReport.Build(From, To, null, [Minutes("a", "crc-spoc", sharedDaysAgo: 0.1, dueInDays: 1, acknowledgedDaysAgo: null, lateDaysAgo: 0.05)], Now);
        Assert.Equal(new MinutesLine("all", 1, 0, 1, 0, 0), report.Minutes);
    }

    [Fact]
    public void Probation_is_consulted_in_a_discussion_that_invited_an_NPS_or_CRC_SPOC_and_actions_are_done_by_due_or_overdue()
    {
        // Scheduled (any invitee): a, b and c; an SPOC invited to a only, where the NPS answered and sent information and no SPOC came.
        Assert.Equal(new ProbationLine(3, 1, 0.3333, 1, 1, 0), Report.Probation);
        // 5 actions: 2 done, 1 of them by its due time; the CRC's past due and the health visitor's marked late are overdue.
        Assert.Equal(new ActionLine(5, 2, 1, 2), Report.Actions);
    }

    [Fact]
    public void With_no_discussion_every_count_is_zero_and_every_share_and_time_is_null()
    {
        var empty = StrategyReport.Build(From, To, [], [], Now);
        Assert.Equal(new DiscussionLine(0, 0, 0, 0, 0, 0, null, new Distribution(0, null, null), new Distribution(0, null, null)), empty.Discussions);
        Assert.Equal(new InvitationLine("all", 0, 0, null, 0, 0, null, 0, null), empty.Invitations);
        Assert.Empty(empty.InvitationsByAgencyType);
        Assert.Equal(new MinutesLine("all", 0, 0, 0, 0, null), empty.Minutes);
        Assert.Equal(new ProbationLine(0, 0, null, 0, 0, 0), empty.Probation);
        Assert.Equal(new ActionLine(0, 0, 0, 0), empty.Actions);
    }

    [Fact]
    public void The_CSV_has_one_measure_a_line_with_the_invitations_and_minutes_once_for_all_agencies_and_once_per_agency_type()
    {
        var lines = GetStrategyReport.Csv(Report).TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("from,to,measure,key,value", lines[0]);
        Assert.Contains("2026-11-01,2026-11-30,discussionsHeld,,2", lines);
        Assert.Contains("2026-11-01,2026-11-30,heldWithinDueRate,,0.3333", lines);
        Assert.Contains("2026-11-01,2026-11-30,attended,all,2", lines);
        Assert.Contains("2026-11-01,2026-11-30,attendedRate,police-force,", lines);
        Assert.Contains("2026-11-01,2026-11-30,sentInformation,health-visiting-team,1", lines);
        Assert.Contains("2026-11-01,2026-11-30,minutesAcknowledgedByDueRate,all,0.5", lines);
        Assert.Contains("2026-11-01,2026-11-30,minutesAcknowledgedByDue,crc-spoc,0", lines);
        Assert.Contains("2026-11-01,2026-11-30,probationInvited,,1", lines);
        Assert.Contains("2026-11-01,2026-11-30,actionsOverdue,,2", lines);
    }

    [Fact]
    public void Holding_it_keeps_the_held_time_on_what_was_due_from_the_chair_and_the_view_row_carries_times_and_codes_never_a_name()
    {
        var mash = DeliveryRecord.New(Incident, "mash-1", "mash", "Synthetic MASH", "mash", [0], [], 0, "DEMO", "REF-1", null, Now);
        var opened = StrategyChanges.Open(1, 1, mash, new DueInfo(Now.AddDays(3), "working-days 3", false), Now);
        var deliveries = opened.Deliveries.Select(d => d.Change.Record).ToDictionary(d => d.RecipientId);
        deliveries[mash.RecipientId] = mash;
        var heldAt = Now.AddDays(1);
        var held = StrategyChanges.Held(opened.Discussion, deliveries, heldAt, [], "no-further-action", [], new Dictionary<string, NotifyHub.Domain.Decisions.FollowUpRecipient>(),
            null, heldAt.AddHours(2));
        var due = held.Deliveries.Single(d => d.Change.Record.Kind == DeliveryKinds.StrategyDue).Change.Record;
        Assert.Equal(heldAt, due.HeldAt);
        Assert.Equal(heldAt.AddHours(2), due.Receipt.Acknowledged?.At);

        var facts = new IncidentFacts("DEMO", "REF-1", "840", "medium", Now.AddDays(-1), Now.AddDays(-1.1), null, Now.AddHours(-20));
        Assert.True(StrategyViews.Deliveries.Lists(due));
        Assert.False(StrategyViews.Deliveries.Lists(mash));
        var row = StrategyViews.Deliveries.Row(due, facts);
        Assert.Equal((StrategyViews.DeliveriesPartition, $"{Incident}.mash-1~s1"), (row.PartitionKey, row.RowKey));
        Assert.Equal(heldAt, row.GetDateTimeOffset("HeldAt"));
        Assert.Equal(Now, row.GetDateTimeOffset("CreatedAt"));
        Assert.Equal(facts.ReportedAt, row.GetDateTimeOffset("ReportedAt"));
        Assert.Equal("840", row.GetString("La"));
        Assert.DoesNotContain(row, p => p.Value is string s && (s.Contains("Synthetic", StringComparison.Ordinal) || s.Contains("REF-1", StringComparison.Ordinal)));
    }
}
