using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Strategy;

namespace NotifyHub.Tests.Strategy;

/// <summary>The pure rules of a strategy discussion: opening, scheduling, answering, informing, holding, minuting, purging.</summary>
public sealed class StrategyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private const string Incident = "inc_0123456789abcdef0123456789abcdef";
    private static readonly DeliveryRecord Mash = DeliveryRecord.New(Incident, "mash-1", "mash", "Synthetic MASH", "mash", [0], [], 0, "DEMO", "REF-1", null, Now);
    private static readonly Invitee School = new("school-1", "school", "Synthetic School", InviteReasons.Received);
    private static readonly Invitee Nps = new("nps-1", "nps-spoc", "Synthetic NPS", InviteReasons.Probation);

    private static (StrategyDiscussion D, Dictionary<string, DeliveryRecord> Deliveries) Scheduled()
    {
        var opened = StrategyChanges.Open(1, 1, Mash, new DueInfo(Now.AddDays(3), "working-days 3", false), Now);
        var scheduled = StrategyChanges.Schedule(opened.Discussion, Mash, new Meeting(Now.AddDays(1), MeetingModes.Video, "link"), [School, Nps, School], TimeSpan.FromHours(2), Now);
        var deliveries = opened.Deliveries.Concat(scheduled.Deliveries).Select(d => d.Change.Record).ToDictionary(d => d.RecipientId);
        deliveries[Mash.RecipientId] = Mash;
        return (scheduled.Discussion, deliveries);
    }

    [Fact]
    public void Opening_makes_what_is_due_from_the_chair_a_delivery_never_sent_and_scheduling_invites_each_invitee_once_with_its_answer_due_before_the_meeting()
    {
        var opened = StrategyChanges.Open(1, 2, Mash, new DueInfo(Now.AddDays(3), "working-days 3", false), Now);
        var due = Assert.Single(opened.Deliveries).Change.Record;
        Assert.Equal("mash-1~s1", due.RecipientId);
        Assert.Equal(DeliveryKinds.StrategyDue, due.Kind);
        Assert.False(due.IsOpen);
        Assert.Contains(opened.Events, e => e.Type == LedgerEventTypes.StrategyOpened);

        var (d, deliveries) = Scheduled();
        Assert.Equal(["school-1", "nps-1"], d.Current.Select(i => i.OrganisationId));
        var invitation = deliveries["school-1~i1"];
        Assert.Equal(DeliveryKinds.Invitation, invitation.Kind);
        Assert.Equal(Now.AddDays(1).AddHours(-2), invitation.DueAt);
        Assert.False(StrategyChanges.Schedule(d, Mash, new Meeting(Now.AddDays(2), MeetingModes.Phone, null), [School], TimeSpan.Zero, Now).Changed);
    }

    [Fact]
    public void An_invitee_answers_once_sends_information_before_it_is_held_and_a_removed_one_can_send_nothing()
    {
        var (d, deliveries) = Scheduled();
        var answered = StrategyChanges.Answer(deliveries["nps-1~i1"], InvitationAnswers.Attending, new AcknowledgedBy("A", "SPOC"), Now);
        Assert.Equal(InvitationAnswers.Attending, answered.Record.Answer);
        Assert.False(StrategyChanges.Answer(answered.Record, InvitationAnswers.CannotAttend, new AcknowledgedBy("A", "SPOC"), Now).Changed);

        var informed = StrategyChanges.Inform(d, deliveries["nps-1~i1"], "Synthetic.", Now);
        Assert.True(informed.Changed);
        Assert.Equal("Synthetic.", Assert.Single(informed.Discussion.Contributions).Text);
        Assert.Equal(Now, informed.Deliveries.Single().Change.Record.InformedAt);

        var removal = StrategyChanges.ChangeInvitees(d, Mash, [], ["nps-1"], TimeSpan.Zero, deliveries, Now);
        var removed = removal.Discussion;
        Assert.False(removed.IsInvited("nps-1"));
        // Its unanswered invitation is no longer awaited: never judged late, never chased.
        var withdrawn = Assert.Single(removal.Deliveries).Change.Record;
        Assert.Equal("nps-1~i1", withdrawn.RecipientId);
        Assert.False(withdrawn.AwaitsJudgement);
        Assert.False(StrategyChanges.Inform(removed, deliveries["nps-1~i1"], "More.", Now).Changed);
    }

    [Fact]
    public void Holding_it_meets_what_was_due_marks_who_attended_and_sends_each_action_then_the_minutes_go_to_every_invitee_attended_or_not()
    {
        var (d, deliveries) = Scheduled();
        var owners = new Dictionary<string, NotifyHub.Domain.Decisions.FollowUpRecipient> { ["school-1"] = new("school-1", "school", "Synthetic School", []) };
        var held = StrategyChanges.Held(d, deliveries, Now.AddDays(1), ["nps-1"], "section-47-enquiry",
            [new StrategyAction("school-1", "Synthetic action", new DateOnly(2026, 11, 30))], owners, null, Now.AddDays(1));
        var records = held.Deliveries.Select(x => x.Change.Record).ToDictionary(r => r.RecipientId);
        Assert.NotNull(records["mash-1~s1"].Receipt.Acknowledged);
        Assert.True(records["nps-1~i1"].Attended);
        Assert.False(records["school-1~i1"].Attended);
        Assert.Equal(DeliveryKinds.Action, records["school-1~a1-1"].Kind);
        Assert.Contains(held.Events, e => e.Type == LedgerEventTypes.StrategyHeld && e.Data["byDue"] is true);

        var minutes = StrategyChanges.ShareMinutes(held.Discussion, Mash, new MinutesRecord("Synthetic minutes.", null, null, Now.AddDays(1)),
            _ => new DueInfo(Now.AddDays(2), "working-days 1", false), Now.AddDays(1));
        Assert.Equal(["school-1~m1", "nps-1~m1"], minutes.Deliveries.Select(x => x.Change.Record.RecipientId));
        Assert.False(StrategyChanges.ShareMinutes(minutes.Discussion, Mash, new MinutesRecord("Again.", null, null, Now), _ => new DueInfo(Now, "x", false), Now).Changed);
    }

    [Fact]
    public void A_discussion_is_stored_and_read_back_whole_and_the_purge_clears_its_free_text_only()
    {
        var (d, deliveries) = Scheduled();
        var informed = StrategyChanges.Inform(d, deliveries["nps-1~i1"], "Synthetic.", Now).Discussion;
        var back = StrategyDiscussion.Read(informed.ToJson())!;
        Assert.Equal("Synthetic.", Assert.Single(back.Contributions).Text);
        Assert.Equal(informed.Meeting, back.Meeting);
        Assert.Equal(informed.Invitees, back.Invitees);

        var purged = StrategyChanges.PurgeText(back, Now).Discussion;
        Assert.Null(purged.Contributions.Single().Text);
        Assert.Null(purged.Meeting!.JoiningDetails);
        Assert.Equal(informed.Meeting!.At, purged.Meeting.At);
        Assert.False(StrategyChanges.PurgeText(purged, Now).Changed);
    }
}
