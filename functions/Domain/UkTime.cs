using System.Globalization;
using NodaTime;
using NodaTime.Extensions;

namespace NotifyHub.Domain;

/// <summary>
/// Wall-clock time in England and Wales (Europe/London), from NodaTime's embedded time-zone
/// database, so dates do not depend on the machine's tz data. Every "which day was it" question
/// in the hub goes through here, and so does every time the hub tells a person.
/// </summary>
public static class UkTime
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>The local calendar date of an instant (23:30 UTC in summer is the next local day).</summary>
    public static DateOnly DateOf(DateTimeOffset instant) =>
        instant.ToInstant().InZone(Zone).Date.ToDateOnly();

    /// <summary>
    /// An instant as the GOV.UK style guide writes it for people in England: "Tuesday 24 November 2026 at 9:40pm",
    /// "at 9am", "at midday", to the minute. Midnight is the end of the day before ("Monday 23 November 2026 at midnight"
    /// for 00:00 on Tuesday), because that is how a reader takes "Monday at midnight" in a deadline; "12am" and "12pm" are
    /// never written. In the hour that happens twice when the clocks go back, the time says which one ("1:30am BST").
    /// </summary>
    public static string Describe(DateTimeOffset instant)
    {
        var local = instant.ToInstant().InZone(Zone);
        var minute = new LocalTime(local.Hour, local.Minute);
        if (minute == LocalTime.Midnight) return $"{DescribeDate(local.Date.PlusDays(-1).ToDateOnly())} at midnight";
        var clock = minute == LocalTime.Noon ? "midday"
            : (minute.ClockHourOfHalfDay, minute.Minute) switch
            {
                (var h, 0) => $"{h}",
                (var h, var m) => $"{h}:{m:00}",
            } + (minute.Hour < 12 ? "am" : "pm");
        // The hour the clocks go back is lived twice: name the offset so that the reader knows which.
        if (Zone.MapLocal(local.LocalDateTime).Count > 1) clock += local.Offset == Offset.FromHours(1) ? " BST" : " GMT";
        return $"{DescribeDate(local.Date.ToDateOnly())} at {clock}";
    }

    /// <summary>The end of the working day (<paramref name="endsAt"/> UK time, 17:00 unless given) on <paramref name="day"/>: when something due "on" that day falls due.</summary>
    public static DateTimeOffset EndOfWorkingDay(DateOnly day, TimeOnly? endsAt = null) =>
        LocalDate.FromDateOnly(day).At(LocalTime.FromTimeOnly(endsAt ?? new TimeOnly(17, 0))).InZoneLeniently(Zone).ToDateTimeOffset();

    /// <summary>A calendar date as GOV.UK writes it: "Tuesday 24 November 2026".</summary>
    public static string DescribeDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A date without its weekday, for dates of birth and expected due dates: "2 March 2016".</summary>
    public static string Describe(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// An instant for an operator's log, day before month, in UK wall-clock time (GMT or BST as it was):
    /// "Thu 3 Dec 2026 14:05 (UK time)": short and sortable by eye. Pages and emails use <see cref="Describe(DateTimeOffset)"/>; machines get ISO 8601.
    /// </summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToInstant().InZone(Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (UK time)";

    /// <summary>A local date as people in England read it: "Tue 24 Nov 2026".</summary>
    public static string Format(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
}
