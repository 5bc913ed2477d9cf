using System.Text;
using NodaTime;
using NotifyHub.Domain;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// The real calendar data (GOV.UK England-and-Wales bank holidays 2025–2027 and the example LA 840 term dates, copied
/// from shared/data/calendar) and helpers to write instants as UK local or UTC times.
/// </summary>
internal static class TimelinessFixtures
{
    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "Timeliness", "data", file);

    public static readonly IReadOnlySet<LocalDate> BankHolidays =
        BankHolidaysFile.Parse(File.ReadAllBytes(DataPath("bank-holidays.json")), out _) ?? throw new InvalidOperationException("bank-holidays.json did not parse");

    public static readonly IReadOnlyList<Term> La840Terms =
        TermDatesCsv.Parse(File.ReadAllText(DataPath("term-dates-example.csv"), Encoding.UTF8), "840", out _) ?? throw new InvalidOperationException("term-dates-example.csv did not parse");

    /// <summary>A school in LA 840 that follows the LA's terms.</summary>
    public static readonly WorkingCalendar La840 = WorkingCalendar.For(BankHolidays, La840Terms, null);

    public static readonly WorkingCalendar NoTerms = WorkingCalendar.WithoutTerms(BankHolidays);

    public static readonly DeadlineRule School = DeadlineRule.NextSchoolDay(new LocalTime(8, 30));
    public static readonly DeadlineRule Noon = DeadlineRule.NextWorkingDay(new LocalTime(12, 0));
    public static readonly DeadlineRule EndOfDay = DeadlineRule.NextWorkingDay(new LocalTime(17, 0));

    public static LocalDate Date(int year, int month, int day) => new(year, month, day);

    /// <summary>An instant given as Europe/London wall-clock time (which must exist and be unambiguous).</summary>
    public static Instant Uk(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(UkTime.Zone).ToInstant();

    public static Instant Utc(int year, int month, int day, int hour, int minute = 0) => Instant.FromUtc(year, month, day, hour, minute);

    public static ZonedDateTime Local(Instant instant) => instant.InZone(UkTime.Zone);

    public static HashSet<LocalDate> Days(params LocalDate[] days) => [.. days];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
