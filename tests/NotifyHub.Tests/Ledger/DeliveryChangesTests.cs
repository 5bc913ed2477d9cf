using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Tests.Ledger;

/// <summary>The decisions that change a delivery: each answers its new state and the events recording it, and nothing when it does not apply.</summary>
public class DeliveryChangesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = RetrySchedule.Standard(attemptsPerChannel: 2);
    private static readonly string[] WebhookThenEmail = [DeliveryChannels.Webhook, DeliveryChannels.Email];

    private static DeliveryRecord Routed(DateTimeOffset? due = null) =>
        DeliveryRecord.New("inc_0123456789abcdef0123456789abcdef", "school-100001", "school", "Synthetic School", "operation-encompass", [0], [], 0, "SYN",
            "SYN-1", new DueInfo(due ?? T0.AddDays(1), "next-school-day", false), T0);

    private static DeliveryRecord Claimed(DeliveryRecord? d = null) =>
        DeliveryChanges.Claim(d ?? Routed(), WebhookThenEmail, T0, TimeSpan.FromMinutes(10), "nonce").Record;

    private static AttemptResult Attempt(int number, AttemptOutcome outcome, string channel = DeliveryChannels.Webhook) =>
        new(number, channel, T0, 120, outcome, outcome.Kind == OutcomeKind.Delivered ? 204 : 500);

    [Fact]
    public void Routing_a_delivery_records_who_why_and_when_it_is_due_with_no_personal_data()
    {
        var decision = DeliveryChanges.Route(Routed());
        var routed = Assert.Single(decision.Events);
        Assert.Equal(E.DeliveryRouted, routed.Type);
        Assert.Equal("school-100001", routed.Subject);
        Assert.Equal("operation-encompass", routed.String("rule"));
        Assert.Equal(T0.AddDays(1), routed.Instant("dueAt"));
        Assert.DoesNotContain("Synthetic", routed.DataJson());
    }

    [Fact]
    public void A_claim_starts_a_numbered_attempt_on_the_first_channel_and_holds_the_delivery()
    {
        var decision = DeliveryChanges.Claim(Routed(), WebhookThenEmail, T0, TimeSpan.FromMinutes(10), "nonce");
        Assert.Equal(DeliveryStatus.Sending, decision.Record.Receipt.Status);
        Assert.Equal(1, decision.Record.OpenAttempt);
        Assert.Equal(T0.AddMinutes(10), decision.Record.ClaimedUntil);
        var started = Assert.Single(decision.Events);
        Assert.Equal((E.AttemptStarted, 1L, "webhook"), (started.Type, started.Number("attempt")!.Value, started.String("channel")));
    }

    [Fact]
    public void A_delivery_held_by_a_live_claim_is_not_claimed_again()
    {
        var again = DeliveryChanges.Claim(Claimed(), WebhookThenEmail, T0.AddMinutes(1), TimeSpan.FromMinutes(10), "other");
        Assert.False(again.Changed);
    }

    [Fact]
    public void An_attempt_whose_end_was_never_recorded_is_resumed_as_the_same_attempt_once_its_claim_lapses()
    {
        var resumed = DeliveryChanges.Claim(Claimed(), WebhookThenEmail, T0.AddMinutes(11), TimeSpan.FromMinutes(10), "other");
        Assert.True(resumed.Changed);
        Assert.Equal(1, resumed.Record.OpenAttempt);
        Assert.Equal(1, resumed.Record.Receipt.Attempts);
        Assert.Equal("nonce", resumed.Record.LinkNonce); // the same link, so the same email
        Assert.True(Assert.Single(resumed.Events).Flag("resumed"));
    }

    [Fact]
    public void A_delivered_attempt_ends_the_sending_releases_the_claim_and_records_the_outcome()
    {
        var ended = DeliveryChanges.EndAttempt(Claimed(), Attempt(1, AttemptOutcome.Delivered), T0.AddSeconds(1), Schedule, TimeSpan.FromMinutes(30));
        Assert.Equal(DeliveryStatus.Delivered, ended.Record.Receipt.Status);
        Assert.Null(ended.Record.ClaimedUntil);
        Assert.Null(ended.Record.OpenAttempt);
        Assert.Equal([E.AttemptEnded, E.Delivered], ended.Events.Select(e => e.Type));
        Assert.Equal("delivered", ended.Events[0].String("outcome"));
    }

    [Fact]
    public void A_failed_attempt_schedules_the_next_under_a_new_sequence_number_and_says_when()
    {
        var ended = DeliveryChanges.EndAttempt(Claimed(), Attempt(1, AttemptOutcome.Transient("http-500")), T0, Schedule, TimeSpan.FromMinutes(30));
        Assert.Equal(1, ended.Record.Sequence);
        var e = Assert.Single(ended.Events);
        Assert.Equal(ended.Record.Receipt.NextAttemptAt, e.Instant("nextAttemptAt"));
        Assert.Equal(1, e.Number("sequence"));
    }

    [Fact]
    public void A_channel_given_up_moves_to_the_fallback_and_says_so()
    {
        var ended = DeliveryChanges.EndAttempt(Claimed(), Attempt(1, AttemptOutcome.Permanent("channel-exception-JsonException")), T0, Schedule,
            TimeSpan.FromMinutes(30));
        Assert.Equal(DeliveryChannels.Email, ended.Record.Receipt.Channel);
        var changed = Assert.Single(ended.Events, e => e.Type == E.ChannelChanged);
        Assert.Equal(("webhook", "email"), (changed.String("from"), changed.String("to")));
    }

    [Fact]
    public void Ending_an_attempt_already_ended_changes_nothing()
    {
        var ended = DeliveryChanges.EndAttempt(Claimed(), Attempt(1, AttemptOutcome.Delivered), T0, Schedule, TimeSpan.FromMinutes(30)).Record;
        Assert.False(DeliveryChanges.EndAttempt(ended, Attempt(1, AttemptOutcome.Delivered), T0, Schedule, TimeSpan.FromMinutes(30)).Changed);
    }

    [Fact]
    public void An_attempt_that_ends_after_the_recipient_acknowledged_is_recorded_and_leaves_the_acknowledgement_standing()
    {
        var acknowledged = DeliveryChanges.Acknowledge(Claimed(), new AcknowledgedBy("A Person", "DSL"), T0, "api").Record;
        var ended = DeliveryChanges.EndAttempt(acknowledged, Attempt(1, AttemptOutcome.Transient("timeout")), T0, Schedule, TimeSpan.FromMinutes(30));
        Assert.Equal(DeliveryStatus.Acknowledged, ended.Record.Receipt.Status);
        Assert.Equal([E.AttemptEnded], ended.Events.Select(e => e.Type));
        Assert.Null(ended.Record.ClaimedUntil);
    }

    [Fact]
    public void An_acknowledgement_before_delivery_records_the_delivery_too_and_keeps_the_persons_name_out_of_the_event()
    {
        var decision = DeliveryChanges.Acknowledge(Routed(), new AcknowledgedBy("Synthetic Person", "DSL"), T0, "email-link");
        Assert.Equal([E.Delivered, E.Acknowledged], decision.Events.Select(e => e.Type));
        Assert.Equal("DSL", decision.Events[1].String("role"));
        Assert.DoesNotContain("Synthetic Person", decision.Events[1].DataJson());
        Assert.False(DeliveryChanges.Acknowledge(decision.Record, new AcknowledgedBy("Other", "Head"), T0, "api").Changed);
    }

    [Fact]
    public void Opening_from_a_link_records_the_first_opening_and_the_delivery_once()
    {
        var opened = DeliveryChanges.Open(Routed(), T0);
        Assert.Equal([E.Opened, E.Delivered], opened.Events.Select(e => e.Type));
        Assert.False(DeliveryChanges.Open(opened.Record, T0.AddMinutes(1)).Changed);
    }

    [Fact]
    public void A_share_is_marked_late_once_only_after_its_due_time_and_only_if_not_acknowledged_by_then()
    {
        var due = T0.AddHours(1);
        Assert.False(DeliveryChanges.MarkLate(Routed(due), due.AddSeconds(-1)).Changed);
        var late = DeliveryChanges.MarkLate(Routed(due), due.AddMinutes(1));
        Assert.Equal(E.MarkedLate, Assert.Single(late.Events).Type);
        Assert.False(DeliveryChanges.MarkLate(late.Record, due.AddMinutes(2)).Changed);
        var onTime = DeliveryChanges.Acknowledge(Routed(due), new AcknowledgedBy("A", "B"), due.AddSeconds(-1), "api").Record;
        Assert.False(DeliveryChanges.MarkLate(onTime, due.AddMinutes(1)).Changed);
        var ackedLate = DeliveryChanges.Acknowledge(Routed(due), new AcknowledgedBy("A", "B"), due.AddSeconds(1), "api").Record;
        Assert.True(DeliveryChanges.MarkLate(ackedLate, due.AddMinutes(1)).Changed);
    }

    [Fact]
    public void An_escalation_is_claimed_once_at_a_time_and_each_addressee_recorded_once()
    {
        var late = DeliveryChanges.MarkLate(Routed(T0), T0.AddMinutes(1)).Record;
        var started = DeliveryChanges.StartEscalation(late, T0.AddMinutes(2), TimeSpan.FromMinutes(10));
        Assert.True(started.Changed);
        Assert.False(DeliveryChanges.StartEscalation(started.Record, T0.AddMinutes(3), TimeSpan.FromMinutes(10)).Changed);
        var contact = EscalationTargets.Contact("lead-1", "abc123");
        var once = DeliveryChanges.Escalated(started.Record, contact, "sent", T0.AddMinutes(3));
        Assert.Equal(E.AlertSent, Assert.Single(once.Events).Type);
        Assert.False(DeliveryChanges.Escalated(once.Record, contact, "sent", T0.AddMinutes(4)).Changed);
    }

    [Fact]
    public void A_lost_message_is_requeued_at_most_once_a_claim_period()
    {
        var waiting = DeliveryChanges.EndAttempt(Claimed(), Attempt(1, AttemptOutcome.Transient("timeout")), T0, Schedule, TimeSpan.FromMinutes(30)).Record;
        var overdue = waiting.Receipt.NextAttemptAt!.Value.AddMinutes(6);
        var first = DeliveryChanges.Requeue(waiting, overdue, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        Assert.True(first.Changed);
        Assert.False(DeliveryChanges.Requeue(first.Record, overdue.AddMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)).Changed);
        Assert.True(DeliveryChanges.Requeue(first.Record, overdue.AddMinutes(11), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)).Changed);
    }

    [Fact]
    public void The_purge_removes_the_acknowledging_persons_name_and_keeps_the_role_and_time()
    {
        var acknowledged = DeliveryChanges.Acknowledge(Routed(), new AcknowledgedBy("Synthetic Person", "DSL"), T0, "api").Record;
        var purged = DeliveryChanges.PurgeContent(acknowledged, T0.AddDays(90));
        Assert.Equal(("", "DSL", T0), (purged.Record.Receipt.Acknowledged!.Name, purged.Record.Receipt.Acknowledged.Role, purged.Record.Receipt.Acknowledged.At));
        Assert.Equal(E.ContentPurged, Assert.Single(purged.Events).Type);
        Assert.False(DeliveryChanges.PurgeContent(purged.Record, T0.AddDays(91)).Changed);
    }

    [Fact]
    public void An_events_particulars_have_one_canonical_form_whatever_order_they_were_given_in()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(1));
        var a = LedgerEvent.Of(E.AttemptEnded, T0, "r", ("outcome", "delivered"), ("attempt", 2), ("startedAt", at), ("late", true), ("none", null));
        var b = LedgerEvent.Of(E.AttemptEnded, T0, "r", ("startedAt", at), ("late", true), ("attempt", 2), ("outcome", "delivered"));
        Assert.Equal(a.DataJson(), b.DataJson());
        Assert.Equal("""{"attempt":2,"late":true,"outcome":"delivered","startedAt":"2026-11-26T09:00:00.0000000Z"}""", a.DataJson());
        var read = new LedgerEvent(a.Type, a.At, a.Subject, LedgerEvent.ReadData(a.DataJson()));
        Assert.Equal((2L, at, true), (read.Number("attempt")!.Value, read.Instant("startedAt")!.Value, read.Flag("late")!.Value));
    }
}
