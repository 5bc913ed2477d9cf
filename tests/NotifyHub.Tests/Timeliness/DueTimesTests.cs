using NodaTime;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Tests.Timeliness.TimelinessFixtures;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// The school rule, "before the start of the next school day", against the example LA 840 calendar (terms in
/// shared/data/calendar/term-dates-example.csv) and the real bank holidays. Winter times are GMT (local = UTC),
/// summer times BST (local = UTC+1), so 08:30 local is 08:30Z in winter and 07:30Z in summer.
/// </summary>
public class NextSchoolDayStartTests
{
    private static DueTime Due(Instant reportedAt, WorkingCalendar? calendar = null, LocalTime? start = null) =>
        DueTimes.Compute(School, reportedAt, calendar ?? La840, start);

    [Fact]
    public void An_incident_at_seven_on_a_school_day_is_due_at_half_past_eight_that_day()
    {
        // Wed 7 Jan 2026, Spring 1 term (5 Jan – 13 Feb).
        var due = Due(Uk(2026, 1, 7, 7, 0));
        Assert.Equal(Utc(2026, 1, 7, 8, 30), due.At);
        Assert.False(due.Guessed);
    }

    [Fact]
    public void An_incident_at_exactly_half_past_eight_is_due_at_that_moment() =>
        Assert.Equal(Utc(2026, 1, 7, 8, 30), Due(Uk(2026, 1, 7, 8, 30)).At);

    [Fact]
    public void An_incident_a_minute_after_the_start_is_due_at_the_start_of_the_next_school_day() =>
        Assert.Equal(Utc(2026, 1, 8, 8, 30), Due(Uk(2026, 1, 7, 8, 31)).At);

    [Fact]
    public void An_incident_at_ten_on_a_school_day_is_due_at_half_past_eight_the_next_school_day() =>
        Assert.Equal(Utc(2026, 1, 8, 8, 30), Due(Uk(2026, 1, 7, 10, 0)).At);

    [Fact]
    public void A_friday_evening_incident_in_term_is_due_on_monday_morning() =>
        Assert.Equal(Utc(2026, 1, 12, 8, 30), Due(Uk(2026, 1, 9, 18, 0)).At);

    [Theory]
    [InlineData(10, 0)] // Saturday morning
    [InlineData(11, 23)] // Sunday night
    public void A_weekend_incident_in_term_is_due_on_monday_morning(int day, int hour) =>
        Assert.Equal(Utc(2026, 1, 12, 8, 30), Due(Uk(2026, 1, day, hour, 0)).At);

    [Fact]
    public void A_friday_night_of_half_term_incident_is_due_at_half_past_eight_on_the_first_day_back()
    {
        // Spring 1 ends Fri 13 Feb 2026, Spring 2 starts Mon 23 Feb: Fri 20 Feb is the middle of half term.
        var due = Due(Uk(2026, 2, 20, 22, 0));
        Assert.Equal(Utc(2026, 2, 23, 8, 30), due.At);
        Assert.False(due.Guessed);
    }

    [Fact]
    public void An_incident_after_school_on_the_last_day_of_term_is_due_on_the_first_day_of_the_next_term()
    {
        // Autumn 2 2025 ends Fri 19 Dec; Spring 1 2026 starts Mon 5 Jan (Christmas, Boxing Day and New Year's Day fall between).
        Assert.Equal(Utc(2026, 1, 5, 8, 30), Due(Uk(2025, 12, 19, 15, 30)).At);
    }

    [Fact]
    public void An_incident_before_school_on_the_last_day_of_term_is_due_that_morning() =>
        Assert.Equal(Utc(2025, 12, 19, 8, 30), Due(Uk(2025, 12, 19, 6, 0)).At);

    [Fact]
    public void An_easter_holiday_incident_is_due_on_the_first_day_of_the_summer_term_in_summer_time()
    {
        // Spring 2 ends Fri 27 Mar 2026 (GMT); Summer 1 starts Mon 13 Apr (BST): 08:30 BST = 07:30Z.
        Assert.Equal(Utc(2026, 4, 13, 7, 30), Due(Uk(2026, 3, 27, 12, 0)).At);
        // Good Friday (3 Apr) and Easter Monday (6 Apr) fall in the holiday.
        Assert.Equal(Utc(2026, 4, 13, 7, 30), Due(Uk(2026, 4, 3, 9, 0)).At);
    }

    [Fact]
    public void A_bank_holiday_monday_in_term_is_not_a_school_day()
    {
        // Early May bank holiday Mon 4 May 2026 falls in Summer 1 (13 Apr – 22 May): due Tue 5 May 08:30 BST.
        Assert.Equal(Utc(2026, 5, 5, 7, 30), Due(Uk(2026, 5, 1, 16, 0)).At);
        // The same in 2027: Mon 3 May, in Summer 1 2027 (12 Apr – 28 May).
        Assert.Equal(Utc(2027, 5, 4, 7, 30), Due(Uk(2027, 4, 30, 20, 0)).At);
    }

    [Fact]
    public void A_summer_holiday_incident_is_due_on_the_first_day_of_the_autumn_term()
    {
        // Summer bank holiday Mon 31 Aug 2026; Autumn 1 starts Wed 2 Sep.
        var due = Due(Uk(2026, 8, 29, 11, 0));
        Assert.Equal(Utc(2026, 9, 2, 7, 30), due.At);
        Assert.False(due.Guessed);
    }

    [Fact]
    public void Christmas_substitute_days_are_not_school_days_for_a_school_open_between_christmas_and_new_year()
    {
        // Christmas Day 2027 is a Saturday and Boxing Day a Sunday, so Mon 27 and Tue 28 Dec are the substitute bank
        // holidays. A (hand-built) school in term over Christmas: an incident on Fri 24 Dec is due Wed 29 Dec.
        var calendar = new WorkingCalendar(BankHolidays, [new Term("Winter 2027", Date(2027, 12, 20), Date(2028, 1, 7))], Days());
        Assert.Equal(Utc(2027, 12, 29, 8, 30), Due(Uk(2027, 12, 24, 10, 0), calendar).At);
        // Thu 30 Dec after school: Fri 31 Dec is an ordinary school day for this school.
        Assert.Equal(Utc(2027, 12, 31, 8, 30), Due(Uk(2027, 12, 30, 12, 0), calendar).At);
    }

    [Fact]
    public void A_school_that_starts_at_quarter_to_nine_is_due_at_quarter_to_nine()
    {
        var start = new LocalTime(8, 45);
        Assert.Equal(Utc(2026, 1, 7, 8, 45), Due(Uk(2026, 1, 7, 8, 40), start: start).At);
        Assert.Equal(Utc(2026, 1, 7, 8, 45), Due(Uk(2026, 1, 7, 8, 45), start: start).At);
        Assert.Equal(Utc(2026, 1, 8, 8, 45), Due(Uk(2026, 1, 7, 8, 46), start: start).At);
    }

    [Fact]
    public void The_schools_own_start_overrides_the_start_in_the_rule() =>
        Assert.Equal(Utc(2026, 1, 7, 9, 0),
            DueTimes.Compute(DeadlineRule.NextSchoolDay(new LocalTime(8, 0)), Uk(2026, 1, 7, 8, 15), La840, new LocalTime(9, 0)).At);

    [Fact]
    public void A_rule_without_a_start_uses_half_past_eight() =>
        Assert.Equal(Utc(2026, 1, 7, 8, 30), DueTimes.Compute(DeadlineRule.NextSchoolDay(), Uk(2026, 1, 7, 7, 0), La840).At);

    [Fact]
    public void A_schools_own_terms_replace_the_LAs()
    {
        // An academy whose Spring 2 starts Wed 18 Feb 2026, five days before the LA's (Mon 23 Feb).
        var own = new SchoolCalendarOverride(
            [new Term("Spring 1", Date(2026, 1, 5), Date(2026, 2, 13)), new Term("Spring 2", Date(2026, 2, 18), Date(2026, 3, 27))],
            Days());
        var academy = WorkingCalendar.For(BankHolidays, La840Terms, own);
        var reported = Uk(2026, 2, 13, 19, 0);

        Assert.Equal(Utc(2026, 2, 23, 8, 30), Due(reported, La840).At);
        Assert.Equal(Utc(2026, 2, 18, 8, 30), Due(reported, academy).At);
    }

    [Fact]
    public void An_INSET_day_is_not_a_school_day()
    {
        // INSET on Wed 2 Sep 2026, the LA's first day of Autumn 1: a summer-holiday incident is due Thu 3 Sep 08:30 BST.
        var school = WorkingCalendar.For(BankHolidays, La840Terms, new SchoolCalendarOverride(null, Days(Date(2026, 9, 2))));
        Assert.Equal(Utc(2026, 9, 3, 7, 30), Due(Uk(2026, 8, 29, 11, 0), school).At);
        // An incident before school on the INSET day itself is due the next day too.
        Assert.Equal(Utc(2026, 9, 3, 7, 30), Due(Uk(2026, 9, 2, 7, 0), school).At);
    }

    [Fact]
    public void The_school_rule_across_the_spring_clock_change_is_half_past_eight_local_summer_time()
    {
        // Fri 27 Mar 2026 is the last day of Spring 2, so use a hand-built term running through the change (Sun 29 Mar).
        var calendar = new WorkingCalendar(BankHolidays, [new Term("Spring", Date(2026, 3, 2), Date(2026, 4, 2))], Days());
        Assert.Equal(Utc(2026, 3, 30, 7, 30), Due(Uk(2026, 3, 27, 12, 0), calendar).At);
    }

    [Fact]
    public void The_school_rule_across_the_autumn_clock_change_is_half_past_eight_local_winter_time()
    {
        // Fri 23 Oct 2026 is the last day of Autumn 1; Autumn 2 starts Mon 2 Nov, in GMT.
        Assert.Equal(Utc(2026, 11, 2, 8, 30), Due(Uk(2026, 10, 23, 18, 0)).At);
        var calendar = new WorkingCalendar(BankHolidays, [new Term("Autumn", Date(2026, 9, 2), Date(2026, 12, 18))], Days());
        Assert.Equal(Utc(2026, 10, 26, 8, 30), Due(Uk(2026, 10, 23, 18, 0), calendar).At);
    }

    [Fact]
    public void Without_a_term_calendar_school_days_are_taken_as_working_days_and_the_due_time_is_a_guess()
    {
        var due = Due(Uk(2026, 1, 10, 14, 0), NoTerms); // Saturday
        Assert.Equal(Utc(2026, 1, 12, 8, 30), due.At);
        Assert.True(due.Guessed);
        // In the half term the LA calendar knows about, the guess is simply the next weekday.
        Assert.Equal(Utc(2026, 2, 16, 8, 30), Due(Uk(2026, 2, 13, 19, 0), NoTerms).At);
    }

    [Fact]
    public void An_incident_after_the_last_imported_term_is_a_guess_on_working_days()
    {
        // The example calendar ends with Summer 2 2027 on Wed 21 Jul. Thu 22 Jul 10:00 → Fri 23 Jul 08:30 BST.
        var due = Due(Uk(2027, 7, 22, 10, 0));
        Assert.Equal(Utc(2027, 7, 23, 7, 30), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void An_incident_after_school_on_the_last_imported_day_is_a_guess_because_the_next_day_is_unknown()
    {
        var due = Due(Uk(2027, 7, 21, 16, 0));
        Assert.Equal(Utc(2027, 7, 22, 7, 30), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void An_incident_before_the_first_imported_term_is_a_guess()
    {
        // The example calendar starts Wed 3 Sep 2025; Mon 1 Sep 07:00 is before it.
        var due = Due(Uk(2025, 9, 1, 7, 0));
        Assert.Equal(Utc(2025, 9, 1, 7, 30), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void A_guess_still_skips_the_schools_closed_days()
    {
        var school = WorkingCalendar.For(BankHolidays, null, new SchoolCalendarOverride(null, Days(Date(2026, 1, 12))));
        var due = Due(Uk(2026, 1, 10, 14, 0), school);
        Assert.Equal(Utc(2026, 1, 13, 8, 30), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void A_rule_that_needs_no_term_calendar_is_not_a_guess_inside_the_bank_holiday_coverage()
    {
        Assert.False(DueTimes.Compute(Noon, Uk(2026, 1, 10, 14, 0), NoTerms).Guessed);
        Assert.False(DueTimes.Compute(DeadlineRule.ElapsedAfter(Duration.FromHours(1)), Uk(2026, 1, 10, 14, 0), NoTerms).Guessed);
        Assert.False(DueTimes.Compute(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 10, 14, 0), NoTerms).Guessed);
    }

    [Fact]
    public void An_incident_after_school_the_day_before_the_first_imported_term_is_not_a_guess()
    {
        // The example calendar starts Wed 3 Sep 2025. At 10:00 on Tue 2 Sep that day's start has passed, so whether it
        // was a school day does not matter: the due time is the first day of term, which the calendar knows.
        var due = Due(Uk(2025, 9, 2, 10, 0));
        Assert.Equal(Utc(2025, 9, 3, 7, 30), due.At);
        Assert.False(due.Guessed);
    }

    [Fact]
    public void A_school_day_in_term_beyond_the_loaded_bank_holidays_is_a_guess()
    {
        // Bank holidays are loaded to the end of 2027; this school is in term over the new year. Mon 3 Jan 2028 is in
        // fact the New Year substitute bank holiday, which nobody has told the hub.
        var calendar = new WorkingCalendar(BankHolidays, [new Term("Winter 2027", Date(2027, 12, 20), Date(2028, 1, 14))], Days());
        var inside = Due(Uk(2027, 12, 30, 12, 0), calendar);
        Assert.Equal(Utc(2027, 12, 31, 8, 30), inside.At);
        Assert.False(inside.Guessed);
        var beyond = Due(Uk(2027, 12, 31, 12, 0), calendar);
        Assert.Equal(Utc(2028, 1, 3, 8, 30), beyond.At);
        Assert.True(beyond.Guessed);
    }

    [Fact]
    public void With_no_bank_holidays_loaded_a_school_day_is_a_guess_even_in_term()
    {
        var calendar = WorkingCalendar.For(Days(), La840Terms, null);
        var due = Due(Uk(2026, 1, 7, 7, 0), calendar);
        Assert.Equal(Utc(2026, 1, 7, 8, 30), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void A_calendar_with_no_school_day_in_reach_fails_loudly_rather_than_searching_for_ever()
    {
        // Every weekday of a year-long "term" is a closed day: no school day within the search limit.
        var closed = new HashSet<LocalDate>();
        for (var day = Date(2026, 1, 1); day <= Date(2027, 12, 31); day = day.PlusDays(1)) closed.Add(day);
        var calendar = new WorkingCalendar(BankHolidays, [new Term("All", Date(2026, 1, 1), Date(2027, 12, 31))], closed);
        var error = Assert.Throws<InvalidOperationException>(() => Due(Uk(2026, 1, 7, 10, 0), calendar));
        Assert.Contains("No school day within 400 days", error.Message);
    }

    [Fact]
    public void The_due_time_carries_the_rule_that_produced_it() =>
        Assert.Equal(School, Due(Uk(2026, 1, 7, 7, 0)).Rule);
}

public class NextWorkingDayTests
{
    private static Instant Due(DeadlineRule rule, Instant reportedAt) => DueTimes.Compute(rule, reportedAt, NoTerms).At;

    [Fact]
    public void A_saturday_night_report_before_the_clocks_go_forward_is_due_at_noon_summer_time_on_monday()
    {
        // Sat 28 Mar 2026 21:00Z (21:00 GMT); clocks go forward Sun 29 Mar; Mon 30 Mar 12:00 BST = 11:00Z.
        Assert.Equal(Utc(2026, 3, 30, 11, 0), Due(Noon, Utc(2026, 3, 28, 21, 0)));
    }

    [Fact]
    public void A_friday_evening_report_before_the_clocks_go_back_is_due_at_noon_winter_time_on_monday()
    {
        // Fri 23 Oct 2026 20:00 BST (19:00Z); clocks go back Sun 25 Oct; Mon 26 Oct 12:00 GMT = 12:00Z.
        Assert.Equal(Utc(2026, 10, 26, 12, 0), Due(Noon, Uk(2026, 10, 23, 20, 0)));
    }

    [Fact]
    public void Over_easter_good_friday_and_easter_monday_are_skipped()
    {
        // Thu 2 Apr 2026: Good Friday 3 Apr, weekend, Easter Monday 6 Apr → Tue 7 Apr 12:00 BST = 11:00Z.
        Assert.Equal(Utc(2026, 4, 7, 11, 0), Due(Noon, Uk(2026, 4, 2, 15, 0)));
        Assert.Equal(Utc(2026, 4, 7, 11, 0), Due(Noon, Uk(2026, 4, 3, 9, 0)));
        Assert.Equal(Utc(2026, 4, 7, 11, 0), Due(Noon, Uk(2026, 4, 6, 23, 59)));
    }

    [Fact]
    public void Christmas_2027_on_a_saturday_makes_the_monday_and_tuesday_substitute_bank_holidays()
    {
        // Fri 24 Dec 2027 → Sat 25, Sun 26, Mon 27 (sub), Tue 28 (sub) → Wed 29 Dec 12:00 GMT.
        Assert.Equal(Utc(2027, 12, 29, 12, 0), Due(Noon, Uk(2027, 12, 24, 10, 0)));
    }

    [Fact]
    public void Boxing_day_2026_on_a_saturday_makes_the_monday_a_substitute_bank_holiday()
    {
        // Thu 24 Dec 2026 → Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day substitute) → Tue 29 Dec.
        Assert.Equal(Utc(2026, 12, 29, 17, 0), Due(EndOfDay, Uk(2026, 12, 24, 9, 0)));
    }

    [Fact]
    public void The_next_working_day_follows_the_local_date_even_when_the_morning_deadline_has_not_passed()
    {
        // domain.md: the first working day AFTER the local date of reportedAt. Mon 06:00 → Tue 12:00.
        Assert.Equal(Utc(2026, 1, 13, 12, 0), Due(Noon, Uk(2026, 1, 12, 6, 0)));
    }

    [Fact]
    public void The_local_date_decides_the_day_so_a_half_past_eleven_utc_summer_report_is_already_tomorrow()
    {
        // 23:30Z on Wed 1 Jul 2026 is 00:30 BST on Thu 2 Jul: next working day Fri 3 Jul, 12:00 BST = 11:00Z.
        Assert.Equal(Utc(2026, 7, 3, 11, 0), Due(Noon, Utc(2026, 7, 1, 23, 30)));
    }

    [Fact]
    public void A_friday_report_is_due_at_five_on_monday_for_the_probation_and_yos_spocs() =>
        Assert.Equal(Utc(2026, 1, 12, 17, 0), Due(EndOfDay, Uk(2026, 1, 9, 11, 0)));

    [Fact]
    public void A_term_calendar_does_not_change_working_days()
    {
        // Half term (Fri 20 Feb 2026) is a working day for everyone but schools.
        Assert.Equal(Utc(2026, 2, 20, 12, 0), DueTimes.Compute(Noon, Uk(2026, 2, 19, 15, 0), La840).At);
    }

    [Fact]
    public void A_rule_without_a_time_is_refused() =>
        Assert.Throws<ArgumentException>(() => DueTimes.Compute(new DeadlineRule(DeadlineKind.NextWorkingDayAt), Uk(2026, 1, 7, 10, 0), NoTerms));
}

public class ElapsedAndWorkingDaysTests
{
    private static Instant Due(DeadlineRule rule, Instant reportedAt) => DueTimes.Compute(rule, reportedAt, NoTerms).At;

    [Fact]
    public void One_hour_across_the_spring_forward_gap_is_exactly_one_hour_of_instants()
    {
        // 00:30 GMT Sun 29 Mar 2026 → 01:30Z, which the clocks show as 02:30 BST.
        var reported = Utc(2026, 3, 29, 0, 30);
        var due = Due(DeadlineRule.ElapsedAfter(Duration.FromHours(1)), reported);
        Assert.Equal(Duration.FromHours(1), due - reported);
        Assert.Equal(new LocalTime(2, 30), Local(due).TimeOfDay);
    }

    [Fact]
    public void Twenty_four_hours_across_the_autumn_change_is_absolute_not_the_same_local_time()
    {
        // 13:00 BST Sat 24 Oct 2026 (12:00Z) + 24h = 12:00Z Sun 25 Oct, which is 12:00 GMT: local time moved an hour.
        var due = Due(DeadlineRule.ElapsedAfter(Duration.FromHours(24)), Uk(2026, 10, 24, 13, 0));
        Assert.Equal(Utc(2026, 10, 25, 12, 0), due);
        Assert.Equal(new LocalTime(12, 0), Local(due).TimeOfDay);
    }

    [Fact]
    public void Elapsed_time_ignores_weekends_and_bank_holidays() =>
        Assert.Equal(Utc(2027, 12, 26, 10, 0), Due(DeadlineRule.ElapsedAfter(Duration.FromHours(24)), Utc(2027, 12, 25, 10, 0)));

    [Fact]
    public void Ninety_minutes_is_ninety_minutes() =>
        Assert.Equal(Utc(2026, 1, 7, 11, 30), Due(DeadlineRule.ElapsedAfter(Duration.FromMinutes(90)), Utc(2026, 1, 7, 10, 0)));

    [Fact]
    public void A_MARAC_share_reported_late_on_a_saturday_night_is_due_at_the_end_of_monday_not_in_the_night()
    {
        // Issue 17: Sat 10 Jan 2026 23:08 fell due at 23:08 on Monday. One working day ends at 17:00 on Monday.
        var due = DueTimes.Compute(TimelinessPolicy.Default.RuleFor(OrganisationTypes.MaracCoordinator, "marac-840", "high"), Uk(2026, 1, 10, 23, 8), NoTerms);
        Assert.Equal(Utc(2026, 1, 12, 17, 0), due.At);
        Assert.False(due.Guessed);
    }

    [Fact]
    public void One_working_day_from_a_friday_afternoon_is_the_end_of_monday() =>
        Assert.Equal(Utc(2026, 1, 12, 17, 0), Due(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 9, 15, 0)));

    [Fact]
    public void One_working_day_from_a_weekday_is_the_end_of_the_next_day_whatever_the_time_of_the_report()
    {
        Assert.Equal(Utc(2026, 1, 8, 17, 0), Due(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 7, 16, 45)));
        Assert.Equal(Utc(2026, 1, 8, 17, 0), Due(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 7, 0, 30)));
        Assert.Equal(Utc(2026, 1, 8, 17, 0), Due(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 7, 23, 59)));
    }

    [Fact]
    public void Working_days_end_at_five_local_time_across_the_spring_clock_change()
    {
        // Fri 27 Mar 2026 15:00 GMT → Mon 30 Mar 17:00 BST = 16:00Z.
        Assert.Equal(Utc(2026, 3, 30, 16, 0), Due(DeadlineRule.AfterWorkingDays(1), Uk(2026, 3, 27, 15, 0)));
    }

    [Fact]
    public void Two_working_days_over_easter_skip_good_friday_and_easter_monday()
    {
        // Thu 2 Apr 2026 10:00 BST: 1st working day Tue 7 Apr, 2nd Wed 8 Apr, 17:00 BST = 16:00Z.
        Assert.Equal(Utc(2026, 4, 8, 16, 0), Due(DeadlineRule.AfterWorkingDays(2), Uk(2026, 4, 2, 10, 0)));
    }

    [Fact]
    public void A_working_days_rule_with_a_time_of_its_own_ends_the_day_at_that_time() =>
        Assert.Equal(Utc(2026, 1, 13, 12, 30), Due(DeadlineRule.AfterWorkingDays(2, new LocalTime(12, 30)), Uk(2026, 1, 9, 15, 0)));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61)]
    [InlineData(int.MaxValue)]
    public void A_working_days_rule_out_of_range_is_refused(int days) =>
        Assert.Throws<ArgumentException>(() => Due(DeadlineRule.AfterWorkingDays(days), Uk(2026, 1, 7, 10, 0)));

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void An_elapsed_rule_that_is_not_positive_is_refused(int minutes) =>
        Assert.Throws<ArgumentException>(() => Due(DeadlineRule.ElapsedAfter(Duration.FromMinutes(minutes)), Uk(2026, 1, 7, 10, 0)));

    [Fact]
    public void An_elapsed_rule_without_a_duration_is_refused() =>
        Assert.Throws<ArgumentException>(() => Due(new DeadlineRule(DeadlineKind.Elapsed), Uk(2026, 1, 7, 10, 0)));
}

public class WorkingAndSchoolDayTests
{
    [Theory]
    [InlineData(2026, 1, 7, true)] // Wednesday
    [InlineData(2026, 1, 10, false)] // Saturday
    [InlineData(2026, 1, 11, false)] // Sunday
    [InlineData(2026, 4, 3, false)] // Good Friday
    [InlineData(2026, 4, 6, false)] // Easter Monday
    [InlineData(2026, 12, 28, false)] // Boxing Day substitute
    [InlineData(2027, 12, 27, false)] // Christmas Day substitute
    [InlineData(2027, 12, 28, false)] // Boxing Day substitute
    [InlineData(2027, 12, 29, true)]
    [InlineData(2026, 2, 20, true)] // half term is still a working day
    public void A_working_day_is_a_weekday_that_is_not_a_bank_holiday(int year, int month, int day, bool expected) =>
        Assert.Equal(expected, DueTimes.IsWorkingDay(Date(year, month, day), La840));

    [Theory]
    [InlineData(2026, 1, 5, true)] // first day of Spring 1 (inclusive)
    [InlineData(2026, 2, 13, true)] // last day of Spring 1 (inclusive)
    [InlineData(2026, 2, 16, false)] // half term
    [InlineData(2026, 1, 10, false)] // Saturday in term
    [InlineData(2026, 5, 4, false)] // bank holiday in term
    [InlineData(2026, 8, 3, false)] // summer holiday
    [InlineData(2028, 1, 5, false)] // beyond the calendar
    public void A_school_day_is_a_working_day_inside_a_term(int year, int month, int day, bool expected) =>
        Assert.Equal(expected, DueTimes.IsSchoolDay(Date(year, month, day), La840));

    [Fact]
    public void A_closed_day_inside_term_is_not_a_school_day()
    {
        var school = WorkingCalendar.For(BankHolidays, La840Terms, new SchoolCalendarOverride(null, Days(Date(2026, 1, 7))));
        Assert.False(DueTimes.IsSchoolDay(Date(2026, 1, 7), school));
        Assert.True(DueTimes.IsSchoolDay(Date(2026, 1, 8), school));
        Assert.True(DueTimes.IsWorkingDay(Date(2026, 1, 7), school));
    }

    [Fact]
    public void With_no_term_calendar_no_day_is_known_to_be_a_school_day() =>
        Assert.False(DueTimes.IsSchoolDay(Date(2026, 1, 7), NoTerms));
}

/// <summary>
/// Issue 17: with no bank holidays loaded, or past the end of those loaded, every weekday was taken as a working day and
/// the due time was not marked as a guess — shares fell due on the August bank holiday with dueGuessed false.
/// </summary>
public class BankHolidayCoverageTests
{
    private static readonly WorkingCalendar NoBankHolidays = WorkingCalendar.WithoutTerms(Days());

    /// <summary>The real bank holidays of 2026 only: covered from 1 Jan to 31 Dec 2026.</summary>
    private static readonly WorkingCalendar Only2026 = WorkingCalendar.WithoutTerms(BankHolidays.Where(d => d.Year == 2026).ToHashSet());

    [Fact]
    public void The_bank_holidays_cover_the_whole_years_they_list()
    {
        Assert.Equal((Date(2025, 1, 1), Date(2027, 12, 31)), NoTerms.BankHolidayCoverage);
        Assert.Equal((Date(2026, 1, 1), Date(2026, 12, 31)), Only2026.BankHolidayCoverage);
        Assert.Equal((Date(2026, 1, 1), Date(2026, 12, 31)), WorkingCalendar.WithoutTerms(Days(Date(2026, 8, 31))).BankHolidayCoverage);
    }

    [Fact]
    public void With_no_bank_holidays_loaded_nothing_is_covered() =>
        Assert.Null(NoBankHolidays.BankHolidayCoverage);

    [Fact]
    public void With_no_bank_holidays_loaded_a_share_due_on_the_august_bank_holiday_is_a_guess()
    {
        // Fri 28 Aug 2026 → Mon 31 Aug 12:00 BST, the summer bank holiday the hub does not know about.
        var due = DueTimes.Compute(Noon, Uk(2026, 8, 28, 15, 0), NoBankHolidays);
        Assert.Equal(Utc(2026, 8, 31, 11, 0), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void With_no_bank_holidays_loaded_a_working_days_deadline_is_a_guess()
    {
        var due = DueTimes.Compute(DeadlineRule.AfterWorkingDays(1), Uk(2026, 1, 10, 23, 8), NoBankHolidays);
        Assert.Equal(Utc(2026, 1, 12, 17, 0), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void A_next_working_day_beyond_the_loaded_years_is_a_guess_and_one_inside_them_is_not()
    {
        // Wed 30 Dec 2026 → Thu 31 Dec: covered. Thu 31 Dec → Fri 1 Jan 2027, New Year's Day, beyond what is loaded.
        var inside = DueTimes.Compute(Noon, Uk(2026, 12, 30, 10, 0), Only2026);
        Assert.Equal(Utc(2026, 12, 31, 12, 0), inside.At);
        Assert.False(inside.Guessed);
        var beyond = DueTimes.Compute(Noon, Uk(2026, 12, 31, 10, 0), Only2026);
        Assert.Equal(Utc(2027, 1, 1, 12, 0), beyond.At);
        Assert.True(beyond.Guessed);
    }

    [Fact]
    public void A_working_days_deadline_that_counts_a_day_beyond_the_loaded_years_is_a_guess()
    {
        // Tue 29 Dec 2026 + 3 working days: Wed 30, Thu 31 Dec (covered), Fri 1 Jan 2027 (not): a guess.
        var due = DueTimes.Compute(DeadlineRule.AfterWorkingDays(3), Uk(2026, 12, 29, 10, 0), Only2026);
        Assert.Equal(Utc(2027, 1, 1, 17, 0), due.At);
        Assert.True(due.Guessed);
        Assert.False(DueTimes.Compute(DeadlineRule.AfterWorkingDays(2), Uk(2026, 12, 29, 10, 0), Only2026).Guessed);
    }

    [Fact]
    public void Only_a_weekday_beyond_the_loaded_years_makes_a_guess_a_weekend_is_never_a_working_day()
    {
        // Bank holidays loaded to Fri 31 Dec 2027. Thu 30 Dec → Fri 31 Dec: known. Fri 31 Dec → Sat, Sun (known not to be
        // working days), Mon 3 Jan 2028: unknown — in fact the New Year substitute day.
        Assert.False(DueTimes.Compute(EndOfDay, Uk(2027, 12, 30, 10, 0), NoTerms).Guessed);
        var due = DueTimes.Compute(EndOfDay, Uk(2027, 12, 31, 10, 0), NoTerms);
        Assert.Equal(Utc(2028, 1, 3, 17, 0), due.At);
        Assert.True(due.Guessed);
    }

    [Fact]
    public void An_elapsed_deadline_is_never_a_guess_whatever_the_bank_holidays()
    {
        Assert.False(DueTimes.Compute(DeadlineRule.ElapsedAfter(Duration.FromHours(24)), Uk(2026, 8, 30, 10, 0), NoBankHolidays).Guessed);
        Assert.False(DueTimes.Compute(DeadlineRule.ElapsedAfter(Duration.FromHours(1)), Uk(2031, 1, 1, 10, 0), NoTerms).Guessed);
    }
}
