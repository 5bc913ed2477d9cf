using NodaTime;

namespace NotifyHub.Domain.Timeliness;

/// <summary>One term of a school calendar; both days are school days when they fall Monday to Friday.</summary>
public sealed record Term(string Name, LocalDate FirstDay, LocalDate LastDay)
{
    public bool Contains(LocalDate day) => day >= FirstDay && day <= LastDay;
}

/// <summary>
/// What a due-time calculation knows about days.
/// BankHolidays: England-and-Wales bank holidays (incl. substitute days, as GOV.UK lists them); they speak only for the
/// whole years they list (<see cref="BankHolidayCoverage"/>).
/// Terms: the term calendar that applies (the school's own when it has one, else its LA's); null = no term calendar known.
/// ClosedDays: extra days a school is closed inside term (INSET days), from the school's override.
/// </summary>
public sealed record WorkingCalendar(IReadOnlySet<LocalDate> BankHolidays, IReadOnlyList<Term>? Terms, IReadOnlySet<LocalDate> ClosedDays)
{
    private static readonly IReadOnlySet<LocalDate> NoDays = new HashSet<LocalDate>();

    public static WorkingCalendar WithoutTerms(IReadOnlySet<LocalDate> bankHolidays) => new(bankHolidays, null, NoDays);

    /// <summary>
    /// The calendar for one school: its own terms replace its LA's when it has them (academies set their own
    /// dates); its closed days apply either way. Without a school override this is the LA's calendar.
    /// </summary>
    public static WorkingCalendar For(IReadOnlySet<LocalDate> bankHolidays, IReadOnlyList<Term>? laTerms, SchoolCalendarOverride? school) =>
        new(bankHolidays, school?.Terms ?? laTerms, school?.ClosedDays ?? NoDays);

    /// <summary>
    /// The days the term calendar speaks for: from the first term's first day to the last term's last day, holidays
    /// between terms included. Outside it (or with no calendar) whether a day is a school day is unknown.
    /// </summary>
    public (LocalDate First, LocalDate Last)? TermCoverage =>
        Terms is { Count: > 0 } terms ? (terms.Min(t => t.FirstDay), terms.Max(t => t.LastDay)) : null;

    /// <summary>
    /// The days the bank holidays speak for: from 1 January of the first year they list to 31 December of the last
    /// (GOV.UK publishes whole years, a year or two ahead). Outside it — or with none loaded — whether a weekday is a
    /// working day is unknown, and a due time that needed to know is a guess.
    /// </summary>
    public (LocalDate First, LocalDate Last)? BankHolidayCoverage => BankHolidayCoverageOf(BankHolidays);

    /// <summary>The coverage of a set of bank holidays as <see cref="BankHolidayCoverage"/> defines it; null for none.</summary>
    public static (LocalDate First, LocalDate Last)? BankHolidayCoverageOf(IReadOnlySet<LocalDate> bankHolidays) =>
        bankHolidays.Count > 0 ? (new LocalDate(bankHolidays.Min().Year, 1, 1), new LocalDate(bankHolidays.Max().Year, 12, 31)) : null;
}
