using System.Globalization;
using NodaTime;
using NodaTime.Extensions;

namespace NotifyHub.Domain;

/// <summary>
/// Wall-clock time in England and Wales (Europe/London), from NodaTime's embedded time-zone
/// database, so dates do not depend on the machine's tz data. Every "which day was it" question
/// in the hub goes through here.
/// </summary>
public static class UkTime
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>The local calendar date of an instant (23:30 UTC in summer is the next local day).</summary>
    public static DateOnly DateOf(DateTimeOffset instant) =>
        instant.ToInstant().InZone(Zone).Date.ToDateOnly();

    /// <summary>
    /// An instant as people in England read it, the GOV.UK way: "Tuesday 24 November 2026 at 9:40pm", "… at 9am",
    /// "… at midday", "… at midnight" (midnight belongs to the day it starts). Wall-clock time, BST or GMT as it was then.
    /// </summary>
    public static string Describe(DateTimeOffset instant)
    {
        var local = instant.ToInstant().InZone(Zone).LocalDateTime;
        return $"{local.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} at {Clock(local.Hour, local.Minute)}";
    }

    /// <summary>A date as people in England read it: "2 March 2016".</summary>
    public static string Describe(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Clock(int hour, int minute) => (hour, minute) switch
    {
        (0, 0) => "midnight",
        (12, 0) => "midday",
        _ => $"{(hour % 12 == 0 ? 12 : hour % 12)}{(minute == 0 ? "" : ":" + minute.ToString("00", CultureInfo.InvariantCulture))}{(hour < 12 ? "am" : "pm")}",
    };

    /// <summary>
    /// An instant for an operator's log, day before month, in UK wall-clock time (GMT or BST as it was):
    /// "Thu 3 Dec 2026 14:05 (UK time)": short and sortable by eye. Pages and emails use <see cref="Describe(DateTimeOffset)"/>; machines get ISO 8601.
    /// </summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToInstant().InZone(Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (UK time)";

    /// <summary>A local date as people in England read it: "Tue 24 Nov 2026".</summary>
    public static string Format(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
}
