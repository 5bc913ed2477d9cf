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
}
