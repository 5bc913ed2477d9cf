using NodaTime;
using NodaTime.TimeZones;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// When a share is due and by which rule. Guessed = true when the rule needed a term calendar and none covered the
/// date (no LA calendar, or reportedAt after the last imported term), so school days were taken as working days.
/// </summary>
public sealed record DueTime(Instant At, DeadlineRule Rule, bool Guessed);

/// <summary>
/// Due times (domain.md "Timeliness"), as pure functions of the rule, when police were told and the calendar.
/// Wall-clock deadlines are Europe/London local times turned into instants on the day they fall, so a clock change
/// between report and deadline never moves the deadline by an hour.
/// </summary>
public static class DueTimes
{
    /// <summary>How far any search for the next school or working day may look; a year holds far more than one of each.</summary>
    public const int SearchLimitDays = 400;

    public static DueTime Compute(DeadlineRule rule, Instant reportedAt, WorkingCalendar calendar, LocalTime? schoolDayStart = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(calendar);
        var reported = reportedAt.InZone(UkTime.Zone);
        switch (rule.Kind)
        {
            case DeadlineKind.NextSchoolDayStart:
                return NextSchoolDayStart(rule, reportedAt, reported.Date, calendar, schoolDayStart ?? rule.At ?? DeadlineRule.DefaultSchoolDayStart);
            case DeadlineKind.NextWorkingDayAt:
                var at = rule.At ?? throw new ArgumentException($"A {rule.Kind} rule needs At.", nameof(rule));
                return new DueTime(AtLocal(NextWorkingDayAfter(reported.Date, calendar), at), rule, false);
            case DeadlineKind.Elapsed:
                var after = rule.After is { } a && a > Duration.Zero ? a : throw new ArgumentException($"An {rule.Kind} rule needs a positive After.", nameof(rule));
                return new DueTime(reportedAt + after, rule, false);
            case DeadlineKind.WorkingDays:
                var days = rule.Days is { } d and > 0 and <= DeadlineRule.MostWorkingDays
                    ? d
                    : throw new ArgumentException($"A {rule.Kind} rule needs Days from 1 to {DeadlineRule.MostWorkingDays}.", nameof(rule));
                var day = reported.Date;
                for (var i = 0; i < days; i++) day = NextWorkingDayAfter(day, calendar);
                // The end of the Nth working day, not the report's time of day on it: a late-night report must not
                // fall due in the night (issue 17), and a later report is then never due earlier.
                return new DueTime(AtLocal(day, rule.At ?? DeadlineRule.DefaultWorkingDayEnd), rule, false);
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "Unknown kind of deadline.");
        }
    }

    /// <summary>Monday to Friday and not an England-and-Wales bank holiday.</summary>
    public static bool IsWorkingDay(LocalDate day, WorkingCalendar calendar) =>
        day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !calendar.BankHolidays.Contains(day);

    /// <summary>Mon–Fri, inside a term, not a bank holiday, not a closed day. With no term calendar no day is known to be one.</summary>
    public static bool IsSchoolDay(LocalDate day, WorkingCalendar calendar) =>
        IsWorkingDay(day, calendar) && !calendar.ClosedDays.Contains(day) && calendar.Terms is { } terms && terms.Any(t => t.Contains(day));

    // The earliest school-day start at or after reportedAt. A day the term calendar does not cover (no calendar, or
    // before its first or after its last term) is judged as a working day the school has not said it is closed on,
    // and the answer is marked as a guess: better a deadline to chase than none.
    private static DueTime NextSchoolDayStart(DeadlineRule rule, Instant reportedAt, LocalDate reportedDay, WorkingCalendar calendar, LocalTime start)
    {
        var coverage = calendar.TermCoverage;
        var guessed = false;
        for (var day = reportedDay; day <= reportedDay.PlusDays(SearchLimitDays); day = day.PlusDays(1))
        {
            bool open;
            if (coverage is var (first, last) && day >= first && day <= last)
            {
                open = IsSchoolDay(day, calendar);
            }
            else
            {
                guessed = true;
                open = IsWorkingDay(day, calendar) && !calendar.ClosedDays.Contains(day);
            }
            if (!open) continue;
            var due = AtLocal(day, start);
            if (due >= reportedAt) return new DueTime(due, rule, guessed);
        }
        throw new InvalidOperationException(
            $"No school day within {SearchLimitDays} days of {reportedDay:uuuu-MM-dd}: the term calendar or closed days leave no day open.");
    }

    private static LocalDate NextWorkingDayAfter(LocalDate day, WorkingCalendar calendar)
    {
        for (var next = day.PlusDays(1); next <= day.PlusDays(SearchLimitDays); next = next.PlusDays(1))
        {
            if (IsWorkingDay(next, calendar)) return next;
        }
        throw new InvalidOperationException($"No working day within {SearchLimitDays} days after {day:uuuu-MM-dd}: the bank holidays leave no day open.");
    }

    // Lenient: a local time the clocks skip (01:30 on the morning they go forward) is moved on by the gap, and one
    // they pass twice (01:30 on the morning they go back) is the first of the two. Neither can be refused: a deadline
    // must always exist. UK clocks change in the small hours of a Sunday, never a working day, so today's rules never
    // meet either case; the resolver is there so that no calendar or rule can make a deadline throw.
    private static Instant AtLocal(LocalDate day, LocalTime time) =>
        UkTime.Zone.ResolveLocal(day.At(time), Resolvers.LenientResolver).ToInstant();
}
