namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// A second, deliberately naive reading of domain.md "Timeliness", for the property tests to judge DueTimes by. It
/// shares nothing with the hub's code, so a bug there cannot hide in both: no NodaTime and no time-zone database (UK
/// clock changes are worked out from the law, below), plain BCL dates, every calendar fact written out again from the
/// domain's definitions, and "guessed" defined by what it means rather than by how DueTimes finds it.
/// </summary>
internal static class ReferenceDueTimes
{
    /// <summary>Bank holidays as loaded (covering the whole years they list), the terms (null: no term calendar) and a school's closed days.</summary>
    public sealed record Calendar(IReadOnlySet<DateOnly> BankHolidays, IReadOnlyList<(DateOnly First, DateOnly Last)>? Terms, IReadOnlySet<DateOnly> ClosedDays);

    public abstract record Rule;

    /// <summary>The earliest school-day start at or after the report; At null = 08:30.</summary>
    public sealed record NextSchoolDay(TimeOnly? At) : Rule;

    /// <summary>At on the first working day after the report's local date.</summary>
    public sealed record NextWorkingDay(TimeOnly At) : Rule;

    public sealed record Elapsed(TimeSpan After) : Rule;

    /// <summary>The end of the Nth working day after the report's local date: EndsAt, or 17:00.</summary>
    public sealed record WorkingDays(int Days, TimeOnly? EndsAt) : Rule;

    private static readonly TimeOnly SchoolDayStarts = new(8, 30);
    private static readonly TimeOnly WorkingDayEnds = new(17, 0);
    private const int LookAheadDays = 400;

    /// <summary>
    /// When a share reported at <paramref name="reportedUtc"/> is due, and whether that is a guess: a guess when the
    /// answer would be different if the days the calendars do not speak for were closed rather than open (they are
    /// taken to be open: better a deadline to chase than none).
    /// </summary>
    public static (DateTime DueUtc, bool Guessed) Due(Rule rule, DateTime reportedUtc, Calendar calendar, TimeOnly? schoolStart = null)
    {
        if (rule is Elapsed elapsed) return (reportedUtc + elapsed.After, false);
        var facts = new Facts(calendar);
        var reportedDay = LocalDate(reportedUtc);
        var open = DueIf(unknownDaysAreOpen: true, reportedDay.AddDays(LookAheadDays))
            ?? throw new InvalidOperationException("The reference found no due time even with every unknown day open.");
        // Closing days can only make the due time later, so the search with them closed need look no further than this.
        var closed = DueIf(unknownDaysAreOpen: false, DateOnly.FromDateTime(LocalTime(open)));
        return (open, closed != open);

        DateTime? DueIf(bool unknownDaysAreOpen, DateOnly lastDay) => rule switch
        {
            NextSchoolDay school => EarliestSchoolDayStart(reportedUtc, lastDay, schoolStart ?? school.At ?? SchoolDayStarts,
                day => facts.IsSchoolDay(day) ?? unknownDaysAreOpen),
            NextWorkingDay next => AtLocal(NthDayAfter(reportedDay, lastDay, 1, day => facts.IsWorkingDay(day) ?? unknownDaysAreOpen), next.At),
            WorkingDays days => AtLocal(NthDayAfter(reportedDay, lastDay, days.Days, day => facts.IsWorkingDay(day) ?? unknownDaysAreOpen),
                days.EndsAt ?? WorkingDayEnds),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
    }

    /// <summary>Calendar facts, each true, false or null when the loaded calendars do not say.</summary>
    private sealed class Facts(Calendar calendar)
    {
        private readonly (int First, int Last)? _bankHolidayYears =
            calendar.BankHolidays.Count > 0 ? (calendar.BankHolidays.Min(d => d.Year), calendar.BankHolidays.Max(d => d.Year)) : null;

        private readonly (DateOnly First, DateOnly Last)? _termsSpan =
            calendar.Terms is { Count: > 0 } terms ? (terms.Min(t => t.First), terms.Max(t => t.Last)) : null;

        private static bool IsWeekday(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

        /// <summary>Known only inside the whole years the loaded bank holidays list.</summary>
        private bool? IsBankHoliday(DateOnly day) =>
            _bankHolidayYears is var (first, last) && day.Year >= first && day.Year <= last ? calendar.BankHolidays.Contains(day) : null;

        /// <summary>Known only from the first term's first day to the last term's last day.</summary>
        private bool? IsInTerm(DateOnly day) =>
            _termsSpan is var (first, last) && day >= first && day <= last ? calendar.Terms!.Any(t => day >= t.First && day <= t.Last) : null;

        /// <summary>A working day: Monday to Friday and not a bank holiday.</summary>
        public bool? IsWorkingDay(DateOnly day) => All(IsWeekday(day), Not(IsBankHoliday(day)));

        /// <summary>A school day: Monday to Friday, in a term, not a bank holiday, not one of the school's closed days.</summary>
        public bool? IsSchoolDay(DateOnly day) => All(IsWeekday(day), !calendar.ClosedDays.Contains(day), Not(IsBankHoliday(day)), IsInTerm(day));

        // Three-valued logic: one known false makes the whole false, whatever is unknown.
        private static bool? Not(bool? fact) => fact is { } known ? !known : null;

        private static bool? All(params bool?[] facts) => facts.Contains(false) ? false : facts.All(f => f == true) ? true : null;
    }

    // Searches, one day at a time.

    private static DateTime? EarliestSchoolDayStart(DateTime reportedUtc, DateOnly lastDay, TimeOnly start, Func<DateOnly, bool> isOpen)
    {
        for (var day = LocalDate(reportedUtc); day <= lastDay; day = day.AddDays(1))
        {
            if (isOpen(day) && AtLocal(day, start) is var due && due >= reportedUtc) return due;
        }
        return null;
    }

    private static DateOnly? NthDayAfter(DateOnly reported, DateOnly lastDay, int n, Func<DateOnly, bool> isOpen)
    {
        var found = 0;
        for (var day = reported.AddDays(1); day <= lastDay; day = day.AddDays(1))
        {
            if (isOpen(day) && ++found == n) return day;
        }
        return null;
    }

    // UK civil time, from the Summer Time Order: clocks go forward at 01:00 UTC on the last Sunday of March and back at
    // 01:00 UTC on the last Sunday of October.

    public static bool IsSummerTime(DateTime utc) =>
        utc >= LastSunday(utc.Year, 3).AddHours(1) && utc < LastSunday(utc.Year, 10).AddHours(1);

    public static DateTime LocalTime(DateTime utc) => utc.AddHours(IsSummerTime(utc) ? 1 : 0);

    private static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(LocalTime(utc));

    private static DateTime? AtLocal(DateOnly? day, TimeOnly time) => day is { } d ? AtLocal(d, time) : null;

    /// <summary>
    /// The instant the clocks show <paramref name="time"/> on <paramref name="day"/>: when they show it twice (autumn),
    /// the first; when they skip it (spring), the instant an hour on, as if the clocks had not yet gone forward.
    /// </summary>
    public static DateTime AtLocal(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Utc);
        var inSummerTime = local.AddHours(-1);
        if (IsSummerTime(inSummerTime)) return inSummerTime;
        return local;
    }

    private static DateTime LastSunday(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        while (day.DayOfWeek != DayOfWeek.Sunday) day = day.AddDays(-1);
        return day;
    }
}
