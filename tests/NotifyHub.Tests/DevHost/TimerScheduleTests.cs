using NCrontab;
using NotifyHub.DevHost.Timers;

namespace NotifyHub.Tests.DevHost;

public class TimerScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 29, 12, 0, 0, TimeSpan.Zero);
    private static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    [Theory]
    [InlineData("0 */5 * * * *", "2026-03-29T12:05:00Z")]
    [InlineData("*/2 * * * * *", "2026-03-29T12:00:02Z")]
    [InlineData("0 30 1 * * *", "2026-03-30T01:30:00Z")] // UTC: the night the UK clocks change makes no difference
    [InlineData("0 0 9 * * Mon", "2026-03-30T09:00:00Z")]
    public void The_next_occurrence_is_strictly_after_the_given_time_in_UTC(string expression, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimerSchedule.NextOccurrence(Parse(expression), Noon));
    }

    [Theory]
    [InlineData("*/10 * * * * *", null, false)]
    [InlineData("0 * * * * *", null, true)]
    [InlineData("0 0 2 * * *", null, true)]
    [InlineData("0 0 2 * * *", false, false)]
    [InlineData("* * * * * *", true, true)]
    public void Schedules_recurring_at_most_once_a_minute_are_monitored_by_default(string expression, bool? configured, bool expected)
    {
        Assert.Equal(expected, TimerSchedule.UseMonitor(Parse(expression), configured, Noon));
    }

    [Fact]
    public void A_monitored_timer_whose_stored_Next_has_passed_runs_past_due_for_that_occurrence()
    {
        var stored = new ScheduleStatus(Noon.AddDays(-2), Noon.AddDays(-1), Noon.AddDays(-2));
        Assert.Equal(new StartupDecision(StartupAction.RunPastDue, Noon.AddDays(-1)),
            TimerSchedule.OnStartup(stored, Noon, useMonitor: true, runOnStartup: true));
    }

    [Fact]
    public void Past_due_is_not_checked_without_the_monitor_and_runOnStartup_applies_instead()
    {
        var stored = new ScheduleStatus(Noon.AddDays(-2), Noon.AddDays(-1), Noon.AddDays(-2));
        Assert.Equal(StartupAction.RunOnStartup, TimerSchedule.OnStartup(stored, Noon, useMonitor: false, runOnStartup: true).Action);
        Assert.Equal(StartupAction.None, TimerSchedule.OnStartup(stored, Noon, useMonitor: false, runOnStartup: false).Action);
    }

    [Fact]
    public void A_timer_that_is_not_due_or_has_no_status_waits_for_its_schedule()
    {
        var future = new ScheduleStatus(Noon.AddDays(-1), Noon.AddHours(1), Noon.AddDays(-1));
        Assert.Equal(StartupAction.None, TimerSchedule.OnStartup(future, Noon, useMonitor: true, runOnStartup: false).Action);
        Assert.Equal(StartupAction.None, TimerSchedule.OnStartup(null, Noon, useMonitor: true, runOnStartup: false).Action);
    }

    [Fact]
    public void An_occurrence_can_be_claimed_only_if_it_is_later_than_the_last_recorded_run()
    {
        var stored = new ScheduleStatus(Noon, Noon.AddMinutes(5), Noon);
        Assert.True(TimerSchedule.CanClaim(null, Noon));
        Assert.True(TimerSchedule.CanClaim(stored, Noon.AddMinutes(5)));
        Assert.False(TimerSchedule.CanClaim(stored, Noon));
        Assert.False(TimerSchedule.CanClaim(stored, Noon.AddMinutes(-5)));
    }

    [Fact]
    public void After_a_run_the_status_records_when_it_ran_and_the_occurrence_after_that()
    {
        var ranAt = Noon.AddMilliseconds(40);
        Assert.Equal(new ScheduleStatus(ranAt, Noon.AddMinutes(5), ranAt), TimerSchedule.AfterRun(Parse("0 */5 * * * *"), Noon, ranAt));
    }

    [Fact]
    public void A_run_that_woke_a_little_early_is_recorded_at_its_occurrence_so_the_occurrence_is_not_run_twice()
    {
        var wokeAt = Noon.AddMilliseconds(-30);
        Assert.Equal(new ScheduleStatus(Noon, Noon.AddMinutes(5), Noon), TimerSchedule.AfterRun(Parse("0 */5 * * * *"), Noon, wokeAt));
    }

    [Fact]
    public void After_a_past_due_run_the_next_occurrence_is_computed_from_now_so_missed_occurrences_are_not_run_one_by_one()
    {
        var missed = Noon.AddDays(-3);
        var status = TimerSchedule.AfterRun(Parse("0 0 * * * *"), missed, Noon.AddMinutes(10));

        Assert.Equal(Noon.AddMinutes(10), status.Last);
        Assert.Equal(Noon.AddHours(1), status.Next);
        // So a restart now does not find the timer past due again.
        var (atStart, changed) = TimerSchedule.AtStart(Parse("0 0 * * * *"), status, Noon.AddMinutes(11));
        Assert.False(changed);
        Assert.Equal(StartupAction.None, TimerSchedule.OnStartup(atStart, Noon.AddMinutes(11), useMonitor: true, runOnStartup: false).Action);
    }

    [Fact]
    public void A_timer_with_no_status_starts_with_an_initial_one_for_its_next_occurrence_and_no_last_run()
    {
        Assert.Equal((new ScheduleStatus(TimerSchedule.Never, Noon.AddHours(1), Noon), true), TimerSchedule.AtStart(Parse("0 0 * * * *"), null, Noon));
    }

    [Fact]
    public void A_status_the_schedule_still_gives_is_kept_and_a_missed_occurrence_is_past_due()
    {
        var stored = new ScheduleStatus(Noon.AddHours(-3), Noon.AddHours(-2), Noon.AddHours(-3));
        var (atStart, changed) = TimerSchedule.AtStart(Parse("0 0 * * * *"), stored, Noon);
        Assert.Equal((stored, false), (atStart, changed));
        Assert.Equal(new StartupDecision(StartupAction.RunPastDue, Noon.AddHours(-2)), TimerSchedule.OnStartup(atStart, Noon, useMonitor: true, runOnStartup: false));
    }

    [Fact]
    public void A_changed_schedule_recomputes_Next_from_the_last_run_and_is_past_due_only_if_that_has_passed()
    {
        // Hourly before, every five minutes now: from the last run (11:50) the schedule gives 11:55, already passed,
        // so Next is taken from now instead — a schedule change alone never makes a timer past due.
        var stored = new ScheduleStatus(Noon.AddMinutes(-10), Noon.AddMinutes(50), Noon.AddMinutes(-10));
        var (atStart, changed) = TimerSchedule.AtStart(Parse("0 */5 * * * *"), stored, Noon);
        Assert.True(changed);
        Assert.Equal(new ScheduleStatus(TimerSchedule.Never, Noon.AddMinutes(5), Noon), atStart);
        Assert.Equal(StartupAction.None, TimerSchedule.OnStartup(atStart, Noon, useMonitor: true, runOnStartup: false).Action);

        // Daily at 13:00 now: from the last run the schedule gives 13:00 today, still ahead.
        var (daily, _) = TimerSchedule.AtStart(Parse("0 0 13 * * *"), stored, Noon);
        Assert.Equal(new ScheduleStatus(TimerSchedule.Never, Noon.AddHours(1), Noon.AddMinutes(-10)), daily);
    }

    [Fact]
    public void A_timer_that_never_ran_computes_its_expected_Next_from_when_the_status_was_last_updated()
    {
        var initial = new ScheduleStatus(TimerSchedule.Never, Noon.AddHours(-1), Noon.AddHours(-1).AddMinutes(-30));
        var (atStart, changed) = TimerSchedule.AtStart(Parse("0 0 * * * *"), initial, Noon);
        Assert.False(changed);
        Assert.Equal(StartupAction.RunPastDue, TimerSchedule.OnStartup(atStart, Noon, useMonitor: true, runOnStartup: false).Action);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(30, 30)]
    [InlineData(86_400, 86_400)]
    [InlineData(200 * 86_400, 86_400)] // a yearly schedule: Task.Delay refuses waits over ~49.7 days
    public void A_wait_is_never_past_the_occurrence_and_never_longer_than_a_day(int secondsAhead, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), TimerSchedule.WaitBefore(Noon.AddSeconds(secondsAhead), Noon));
    }
}
