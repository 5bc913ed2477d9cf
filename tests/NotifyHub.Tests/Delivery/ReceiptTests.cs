using NotifyHub.Domain.Delivery;

namespace NotifyHub.Tests.Delivery;

/// <summary>The receipt state machine, one test per transition (and per refusal).</summary>
public class ReceiptTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = RetrySchedule.Standard(attemptsPerChannel: 3);
    private static readonly string[] WebhookThenEmail = [DeliveryChannels.Webhook, DeliveryChannels.Email];

    private static ReceiptState Sending(string[]? channels = null) =>
        Receipt.AttemptStarted(ReceiptState.New(channels ?? WebhookThenEmail, T0)).State;

    [Fact]
    public void A_new_delivery_is_pending_and_due_at_once()
    {
        var state = ReceiptState.New(WebhookThenEmail, T0);
        Assert.Equal(DeliveryStatus.Pending, state.Status);
        Assert.Equal(T0, state.NextAttemptAt);
        Assert.Equal(DeliveryChannels.Webhook, state.Channel);
    }

    [Fact]
    public void A_delivery_with_no_channel_is_an_inbox_delivery() =>
        Assert.Equal([DeliveryChannels.Inbox], ReceiptState.New([], T0).Channels);

    [Fact]
    public void Starting_an_attempt_moves_pending_to_sending_and_counts_it()
    {
        var change = Receipt.AttemptStarted(ReceiptState.New(WebhookThenEmail, T0));
        Assert.True(change.Changed);
        Assert.Equal(DeliveryStatus.Sending, change.State.Status);
        Assert.Equal(1, change.State.Attempts);
    }

    [Theory]
    [InlineData(DeliveryStatus.Delivered)]
    [InlineData(DeliveryStatus.Acknowledged)]
    [InlineData(DeliveryStatus.Failed)]
    public void No_attempt_starts_once_the_delivery_is_final(string status)
    {
        var change = Receipt.AttemptStarted(Sending() with { Status = status });
        Assert.False(change.Changed);
        Assert.Contains(status, change.Refused);
    }

    [Fact]
    public void No_attempt_starts_for_a_notification_waiting_in_the_inbox()
    {
        var waiting = Receipt.AttemptEnded(Sending([DeliveryChannels.Inbox]), AttemptOutcome.Available, T0, Schedule).State;
        Assert.Equal(DeliveryStatus.Sending, waiting.Status);
        Assert.Null(waiting.NextAttemptAt);
        Assert.False(Receipt.AttemptStarted(waiting).Changed);
    }

    [Fact]
    public void A_successful_attempt_delivers_and_schedules_nothing_more()
    {
        var state = Receipt.AttemptEnded(Sending(), AttemptOutcome.Delivered, T0.AddSeconds(3), Schedule).State;
        Assert.Equal(DeliveryStatus.Delivered, state.Status);
        Assert.Equal(T0.AddSeconds(3), state.DeliveredAt);
        Assert.Null(state.NextAttemptAt);
    }

    [Fact]
    public void A_transient_failure_schedules_the_next_attempt_by_the_schedule()
    {
        var state = Receipt.AttemptEnded(Sending(), AttemptOutcome.Transient("http-500"), T0, Schedule).State;
        Assert.Equal(DeliveryStatus.Sending, state.Status);
        Assert.Equal(1, state.FailuresOnChannel);
        Assert.Equal(T0.AddSeconds(10), state.NextAttemptAt);
    }

    [Fact]
    public void A_retry_after_longer_than_the_schedule_is_honoured_and_a_shorter_one_is_not_allowed_to_hurry_it()
    {
        var longer = Receipt.AttemptEnded(Sending(), AttemptOutcome.Transient("http-429", TimeSpan.FromMinutes(2)), T0, Schedule).State;
        Assert.Equal(T0.AddMinutes(2), longer.NextAttemptAt);
        var shorter = Receipt.AttemptEnded(Sending(), AttemptOutcome.Transient("http-503", TimeSpan.FromSeconds(1)), T0, Schedule).State;
        Assert.Equal(T0.AddSeconds(10), shorter.NextAttemptAt);
        var huge = Receipt.AttemptEnded(Sending(), AttemptOutcome.Transient("http-429", TimeSpan.FromDays(3)), T0, Schedule).State;
        Assert.Equal(T0 + Schedule.LongestRetryAfter, huge.NextAttemptAt);
    }

    [Fact]
    public void A_channel_that_fails_as_often_as_allowed_gives_way_to_the_fallback_channel_at_once()
    {
        var state = Sending();
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) state = Receipt.AttemptStarted(state).State;
            state = Receipt.AttemptEnded(state, AttemptOutcome.Transient("timeout"), T0, Schedule).State;
        }
        Assert.Equal(DeliveryStatus.Sending, state.Status);
        Assert.Equal(DeliveryChannels.Email, state.Channel);
        Assert.Equal(0, state.FailuresOnChannel);
        Assert.Equal(T0, state.NextAttemptAt);
        Assert.Equal("webhook: timeout after 3 attempts", state.FailureReason);
    }

    [Fact]
    public void A_permanent_failure_moves_to_the_fallback_channel_without_retrying()
    {
        var state = Receipt.AttemptEnded(Sending(), AttemptOutcome.Permanent("http-410-gone"), T0, Schedule).State;
        Assert.Equal(DeliveryChannels.Email, state.Channel);
        Assert.Equal(T0, state.NextAttemptAt);
    }

    [Fact]
    public void When_the_last_channel_fails_permanently_the_delivery_has_failed_with_the_reason()
    {
        var onEmail = Receipt.AttemptEnded(Sending(), AttemptOutcome.Permanent("http-410-gone"), T0, Schedule).State;
        var state = Receipt.AttemptEnded(Receipt.AttemptStarted(onEmail).State, AttemptOutcome.Permanent("smtp-550"), T0.AddSeconds(1), Schedule).State;
        Assert.Equal(DeliveryStatus.Failed, state.Status);
        Assert.Equal(T0.AddSeconds(1), state.FailedAt);
        Assert.Equal("email: smtp-550", state.FailureReason);
        Assert.Null(state.NextAttemptAt);
    }

    [Fact]
    public void An_attempt_cannot_end_when_none_is_in_progress() =>
        Assert.False(Receipt.AttemptEnded(ReceiptState.New(WebhookThenEmail, T0), AttemptOutcome.Delivered, T0, Schedule).Changed);

    [Theory]
    [InlineData(DeliveryStatus.Pending)]
    [InlineData(DeliveryStatus.Sending)]
    [InlineData(DeliveryStatus.Failed)]
    public void Fetching_a_notification_not_yet_delivered_delivers_it(string status)
    {
        var change = Receipt.Retrieved(Sending() with { Status = status }, T0.AddMinutes(5));
        Assert.True(change.Changed);
        Assert.Equal(DeliveryStatus.Delivered, change.State.Status);
        Assert.Equal(T0.AddMinutes(5), change.State.DeliveredAt);
        Assert.Null(change.State.NextAttemptAt);
    }

    [Fact]
    public void Fetching_a_delivered_notification_again_changes_nothing()
    {
        var delivered = Receipt.AttemptEnded(Sending(), AttemptOutcome.Delivered, T0, Schedule).State;
        var change = Receipt.Retrieved(delivered, T0.AddHours(1));
        Assert.False(change.Changed);
        Assert.Equal(T0, change.State.DeliveredAt);
    }

    [Fact]
    public void Acknowledging_a_delivered_notification_records_who_and_when()
    {
        var delivered = Receipt.AttemptEnded(Sending(), AttemptOutcome.Delivered, T0, Schedule).State;
        var state = Receipt.Acknowledge(delivered, "A. Teacher", "Designated Safeguarding Lead", T0.AddMinutes(30)).State;
        Assert.Equal(DeliveryStatus.Acknowledged, state.Status);
        Assert.Equal(new Acknowledgement("A. Teacher", "Designated Safeguarding Lead", T0.AddMinutes(30)), state.Acknowledged);
        Assert.Equal(T0, state.DeliveredAt);
    }

    [Theory]
    [InlineData(DeliveryStatus.Pending)]
    [InlineData(DeliveryStatus.Sending)]
    [InlineData(DeliveryStatus.Failed)]
    public void An_acknowledgement_before_delivery_was_recorded_implies_delivery_at_that_moment(string status)
    {
        var state = Receipt.Acknowledge(Sending() with { Status = status }, "B. Nurse", "School nurse", T0.AddMinutes(2)).State;
        Assert.Equal(DeliveryStatus.Acknowledged, state.Status);
        Assert.Equal(T0.AddMinutes(2), state.DeliveredAt);
        Assert.Null(state.NextAttemptAt);
    }

    [Fact]
    public void A_second_acknowledgement_changes_nothing_and_the_first_stands()
    {
        var first = Receipt.Acknowledge(Sending(), "A. Teacher", "DSL", T0).State;
        var second = Receipt.Acknowledge(first, "C. Someone", "Head", T0.AddHours(1));
        Assert.False(second.Changed);
        Assert.Equal(new Acknowledgement("A. Teacher", "DSL", T0), second.State.Acknowledged);
    }

    [Fact]
    public void An_attempt_ending_after_an_acknowledgement_leaves_the_acknowledgement_alone()
    {
        var acknowledged = Receipt.Acknowledge(Sending(), "A. Teacher", "DSL", T0).State;
        Assert.False(Receipt.AttemptEnded(acknowledged, AttemptOutcome.Transient("timeout"), T0, Schedule).Changed);
    }
}

public class RetryScheduleTests
{
    [Fact]
    public void The_standard_schedule_tries_at_0_10s_1min_5min_15min_30min_then_hourly()
    {
        var schedule = RetrySchedule.Standard(attemptsPerChannel: 9);
        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
             TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            Enumerable.Range(1, 9).Select(schedule.DelayBefore));
    }
}
