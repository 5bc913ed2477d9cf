using NodaTime;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Tests.Timeliness.TimelinessFixtures;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// What must hold for every report time: a sweep of every half hour of 2026 (so both clock changes, every holiday and
/// the exact school start are hit) checked against the definitions in domain.md rather than against worked examples.
/// </summary>
public class DueTimesPropertyTests
{
    private static IEnumerable<Instant> EveryHalfHourOf2026()
    {
        for (var t = Utc(2026, 1, 1, 0, 0); t < Utc(2027, 1, 1, 0, 0); t += Duration.FromMinutes(30)) yield return t;
    }

    private static IEnumerable<LocalDate> DaysFrom(LocalDate first, LocalDate beforeLast)
    {
        for (var day = first; day < beforeLast; day = day.PlusDays(1)) yield return day;
    }

    [Theory]
    [InlineData(8, 30)]
    [InlineData(8, 45)]
    public void The_school_deadline_is_the_earliest_school_day_start_at_or_after_the_report(int hour, int minute)
    {
        var start = new LocalTime(hour, minute);
        foreach (var reported in EveryHalfHourOf2026())
        {
            var due = DueTimes.Compute(School, reported, La840, start);
            var local = Local(due.At);

            Assert.True(due.At >= reported, $"{reported}: due {due.At} is before the report");
            Assert.Equal(start, local.TimeOfDay);
            Assert.True(DueTimes.IsSchoolDay(local.Date, La840), $"{reported}: due on {local.Date}, not a school day");
            Assert.False(due.Guessed);
            // No school-day start lies in [reportedAt, due).
            foreach (var day in DaysFrom(Local(reported).Date, local.Date).Where(d => DueTimes.IsSchoolDay(d, La840)))
            {
                var earlier = day.At(start).InZoneStrictly(Domain.UkTime.Zone).ToInstant();
                Assert.True(earlier < reported, $"{reported}: the school day {day} starts at {earlier}, before the due time {due.At}");
            }
        }
    }

    [Fact]
    public void Without_a_term_calendar_the_school_deadline_is_the_earliest_working_day_start_and_always_a_guess()
    {
        foreach (var reported in EveryHalfHourOf2026())
        {
            var due = DueTimes.Compute(School, reported, NoTerms);
            var local = Local(due.At);

            Assert.True(due.Guessed);
            Assert.True(due.At >= reported);
            Assert.Equal(new LocalTime(8, 30), local.TimeOfDay);
            Assert.True(DueTimes.IsWorkingDay(local.Date, NoTerms));
            Assert.All(DaysFrom(Local(reported).Date, local.Date).Where(d => DueTimes.IsWorkingDay(d, NoTerms)),
                day => Assert.True(day.At(new LocalTime(8, 30)).InZoneStrictly(Domain.UkTime.Zone).ToInstant() < reported));
        }
    }

    [Theory]
    [InlineData(12, 0)]
    [InlineData(17, 0)]
    public void The_next_working_day_deadline_is_at_its_local_time_on_the_first_working_day_after_the_reports_local_date(int hour, int minute)
    {
        var at = new LocalTime(hour, minute);
        var rule = DeadlineRule.NextWorkingDay(at);
        foreach (var reported in EveryHalfHourOf2026())
        {
            var due = DueTimes.Compute(rule, reported, La840);
            var local = Local(due.At);
            var reportedDay = Local(reported).Date;

            Assert.True(due.At > reported);
            Assert.Equal(at, local.TimeOfDay);
            Assert.True(local.Date > reportedDay);
            Assert.True(DueTimes.IsWorkingDay(local.Date, La840));
            Assert.DoesNotContain(DaysFrom(reportedDay.PlusDays(1), local.Date), d => DueTimes.IsWorkingDay(d, La840));
            Assert.True(local.Date <= reportedDay.PlusDays(5), "no run of non-working days in 2026 is longer than four");
            Assert.False(due.Guessed);
        }
    }

    [Fact]
    public void One_working_day_ends_at_five_on_the_first_working_day_after_the_reports_local_date()
    {
        var rule = DeadlineRule.AfterWorkingDays(1);
        foreach (var reported in EveryHalfHourOf2026())
        {
            var due = DueTimes.Compute(rule, reported, NoTerms);
            var local = Local(due.At);
            var reportedLocal = Local(reported);

            Assert.Equal(new LocalTime(17, 0), local.TimeOfDay);
            Assert.True(DueTimes.IsWorkingDay(local.Date, NoTerms));
            Assert.DoesNotContain(DaysFrom(reportedLocal.Date.PlusDays(1), local.Date), d => DueTimes.IsWorkingDay(d, NoTerms));
            Assert.True(due.At > reported);
        }
    }

    [Theory]
    [InlineData(60)]
    [InlineData(1440)]
    [InlineData(90)]
    public void An_elapsed_deadline_is_always_exactly_that_long_after_the_report(int minutes)
    {
        var rule = DeadlineRule.ElapsedAfter(Duration.FromMinutes(minutes));
        foreach (var reported in EveryHalfHourOf2026())
        {
            Assert.Equal(Duration.FromMinutes(minutes), DueTimes.Compute(rule, reported, NoTerms).At - reported);
        }
    }

    [Fact]
    public void A_later_report_is_never_due_earlier_under_the_wall_clock_rules()
    {
        foreach (var rule in new[] { School, Noon, EndOfDay, DeadlineRule.AfterWorkingDays(1), DeadlineRule.AfterWorkingDays(3) })
        {
            Instant? previous = null;
            foreach (var reported in EveryHalfHourOf2026())
            {
                var due = DueTimes.Compute(rule, reported, La840).At;
                Assert.True(previous is null || due >= previous, $"{rule} at {reported}: {due} is before {previous}");
                previous = due;
            }
        }
    }

    [Fact]
    public void A_report_just_before_friday_midnight_and_one_just_after_are_both_due_at_the_end_of_monday()
    {
        // Until issue 17 a working day kept the time of day: Friday 23:30 was due Monday 23:30, Saturday 00:00 Monday 00:00.
        var rule = DeadlineRule.AfterWorkingDays(1);
        Assert.Equal(Utc(2026, 1, 5, 17, 0), DueTimes.Compute(rule, Uk(2026, 1, 2, 23, 30), NoTerms).At);
        Assert.Equal(Utc(2026, 1, 5, 17, 0), DueTimes.Compute(rule, Uk(2026, 1, 3, 0, 0), NoTerms).At);
    }

    [Fact]
    public void Every_instant_of_the_calendar_years_beyond_the_imported_terms_gets_a_guessed_school_deadline()
    {
        for (var reported = Uk(2027, 7, 22, 0, 0); reported < Utc(2028, 1, 1, 0, 0); reported += Duration.FromHours(7))
        {
            var due = DueTimes.Compute(School, reported, La840);
            Assert.True(due.Guessed);
            Assert.True(due.At >= reported);
        }
    }
}
