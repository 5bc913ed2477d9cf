using NodaTime;
using NodaTime.TimeZones;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// When a share is due and by which rule. Guessed = true when the answer rested on a day the loaded calendars do not
/// speak for: a school day outside the term calendar (no LA calendar, or after the last imported term: school days
/// were taken as working days), or a weekday outside the bank holidays' coverage (none loaded, or after the last year
/// loaded: it was taken as a working day). Elapsed rules never guess.
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
                var (next, nextGuessed) = NextWorkingDayAfter(reported.Date, calendar, calendar.BankHolidayCoverage);
                return new DueTime(AtLocal(next, at), rule, nextGuessed);
            case DeadlineKind.Elapsed:
                var after = rule.After is { } a && a > Duration.Zero ? a : throw new ArgumentException($"An {rule.Kind} rule needs a positive After.", nameof(rule));
                return new DueTime(reportedAt + after, rule, false);
            case DeadlineKind.WorkingDays:
                var days = rule.Days is { } d and > 0 and <= DeadlineRule.MostWorkingDays
                    ? d
                    : throw new ArgumentException($"A {rule.Kind} rule needs Days from 1 to {DeadlineRule.MostWorkingDays}.", nameof(rule));
                var (day, guessed, coverage) = (reported.Date, false, calendar.BankHolidayCoverage);
                for (var i = 0; i < days; i++)
                {
                    (day, var dayGuessed) = NextWorkingDayAfter(day, calendar, coverage);
                    guessed |= dayGuessed;
                }
                // The end of the Nth working day, not the report's time of day on it: a late-night report must not
                // fall due in the night (issue 17), and a later report is then never due earlier.
                return new DueTime(AtLocal(day, rule.At ?? DeadlineRule.DefaultWorkingDayEnd), rule, guessed);
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "Unknown kind of deadline.");
        }
    }

    /// <summary>Monday to Friday and not an England-and-Wales bank holiday (as far as the loaded ones say: see <see cref="WorkingCalendar.BankHolidayCoverage"/>).</summary>
    public static bool IsWorkingDay(LocalDate day, WorkingCalendar calendar) =>
        !IsWeekend(day) && !calendar.BankHolidays.Contains(day);

    /// <summary>Mon–Fri, inside a term, not a bank holiday, not a closed day. With no term calendar no day is known to be one.</summary>
    public static bool IsSchoolDay(LocalDate day, WorkingCalendar calendar) =>
        IsWorkingDay(day, calendar) && !calendar.ClosedDays.Contains(day) && calendar.Terms is { } terms && terms.Any(t => t.Contains(day));

    // What the calendars say of one day. A day they do not speak for is taken as open — better a deadline to chase than
    // none — and the due time that lands on it is a guess.
    private enum Judged { Open, Closed, GuessedOpen }

    private static bool IsWeekend(LocalDate day) => day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    private static bool Inside((LocalDate First, LocalDate Last)? range, LocalDate day) => range is var (first, last) && day >= first && day <= last;

    // A weekend is never a working day, whatever is loaded; a weekday is known only inside the bank holidays' coverage.
    private static Judged WorkingDay(LocalDate day, WorkingCalendar calendar, (LocalDate, LocalDate)? bankHolidays) =>
        IsWeekend(day) ? Judged.Closed
        : !Inside(bankHolidays, day) ? Judged.GuessedOpen
        : IsWorkingDay(day, calendar) ? Judged.Open : Judged.Closed;

    // Closed for certain on a weekend, a closed day, a known bank holiday or between terms the calendar covers; open for
    // certain only in a term on a weekday the bank holidays cover; anything else is a guess that it is open (a day
    // outside the term calendar is taken to be a working day).
    private static Judged SchoolDay(LocalDate day, WorkingCalendar calendar, (LocalDate, LocalDate)? bankHolidays, (LocalDate, LocalDate)? terms)
    {
        if (calendar.ClosedDays.Contains(day)) return Judged.Closed;
        var working = WorkingDay(day, calendar, bankHolidays);
        if (working == Judged.Closed) return Judged.Closed;
        if (!Inside(terms, day)) return Judged.GuessedOpen;
        if (!calendar.Terms!.Any(t => t.Contains(day))) return Judged.Closed;
        return working;
    }

    // The earliest school-day start at or after reportedAt. A start already past when police were told is skipped
    // without judging its day: what that day was cannot change the answer, so it cannot make it a guess.
    private static DueTime NextSchoolDayStart(DeadlineRule rule, Instant reportedAt, LocalDate reportedDay, WorkingCalendar calendar, LocalTime start)
    {
        var (bankHolidays, terms) = (calendar.BankHolidayCoverage, calendar.TermCoverage);
        for (var day = reportedDay; day <= reportedDay.PlusDays(SearchLimitDays); day = day.PlusDays(1))
        {
            var due = AtLocal(day, start);
            if (due < reportedAt) continue;
            switch (SchoolDay(day, calendar, bankHolidays, terms))
            {
                case Judged.Open: return new DueTime(due, rule, false);
                case Judged.GuessedOpen: return new DueTime(due, rule, true);
            }
        }
        throw new InvalidOperationException(
            $"No school day within {SearchLimitDays} days of {reportedDay:uuuu-MM-dd}: the term calendar or closed days leave no day open.");
    }

    // The first working day after `day`, and whether it is a guess. Only the day found can be: every day before it was
    // closed for certain, or the search would have stopped there.
    private static (LocalDate Day, bool Guessed) NextWorkingDayAfter(LocalDate day, WorkingCalendar calendar, (LocalDate, LocalDate)? bankHolidays)
    {
        for (var next = day.PlusDays(1); next <= day.PlusDays(SearchLimitDays); next = next.PlusDays(1))
        {
            switch (WorkingDay(next, calendar, bankHolidays))
            {
                case Judged.Open: return (next, false);
                case Judged.GuessedOpen: return (next, true);
            }
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
