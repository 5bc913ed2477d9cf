using NodaTime;
using NodaTime.Text;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// What health says about the loaded bank holidays. Without them, or once they have run out, every weekday counts as a
/// working day and due times are guesses: the hub is degraded, because shares would otherwise fall due on a bank holiday
/// with nobody told. Coverage ending soon is a warning, in time to load the next GOV.UK file.
/// </summary>
public sealed record BankHolidayHealth(LocalDate? CoveredUntil, bool Degraded, string? Warning)
{
    private const string HowToLoad = "load the latest GOV.UK file (https://www.gov.uk/bank-holidays.json) with PUT /api/admin/calendars/bank-holidays";

    /// <param name="coverage">The loaded bank holidays' coverage (<see cref="WorkingCalendar.BankHolidayCoverage"/>); null for none.</param>
    /// <param name="today">Today's local date.</param>
    /// <param name="warnDays">Warn when the coverage ends within this many days.</param>
    public static BankHolidayHealth Judge((LocalDate First, LocalDate Last)? coverage, LocalDate today, int warnDays)
    {
        if (coverage is not var (first, last))
        {
            return new(null, true,
                $"No bank holidays are loaded: every Monday to Friday counts as a working day and due times that depend on one are marked dueGuessed; {HowToLoad}.");
        }
        if (today < first)
        {
            return new(last, true,
                $"The bank holidays loaded start on {Text(first)}: until then every Monday to Friday counts as a working day and due times that depend on one are marked dueGuessed; {HowToLoad}.");
        }
        if (today > last)
        {
            return new(last, true,
                $"The bank holidays loaded ended on {Text(last)}: every Monday to Friday since counts as a working day and due times that depend on one are marked dueGuessed; {HowToLoad}.");
        }
        var daysLeft = Period.DaysBetween(today, last);
        if (daysLeft < warnDays)
        {
            return new(last, false,
                $"The bank holidays loaded end on {Text(last)}, in {daysLeft} {(daysLeft == 1 ? "day" : "days")}: after that due times will be guesses; {HowToLoad}.");
        }
        return new(last, false, null);
    }

    private static string Text(LocalDate day) => LocalDatePattern.Iso.Format(day);
}
