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
    /// An instant as people in England read it, day before month, in UK wall-clock time (GMT or BST as it was):
    /// "Thu 3 Dec 2026 14:05 (UK time)". The one way the hub writes a time for people to read; machines get ISO 8601.
    /// </summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToInstant().InZone(Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " (UK time)";

    /// <summary>A local date as people in England read it: "Tue 24 Nov 2026".</summary>
    public static string Format(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
}
