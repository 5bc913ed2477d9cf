using Microsoft.Extensions.Options;
using NodaTime.Extensions;
using NotifyHub.Domain;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Timeliness;

/// <summary>
/// What the loaded calendars leave unknown, for health: the local authorities the hub works for that have no term
/// calendar (every LA with incidents (a rollup) or a partnership lead), and how far the bank holidays reach.
/// </summary>
public sealed class CalendarCoverage(CalendarStore calendars, RollupStore rollups, PartnershipLeads leads, IOptions<TimelinessOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<string>> LasWithoutTermCalendarAsync(CancellationToken ct)
    {
        var las = new SortedSet<string>(await rollups.LasAsync(ct), StringComparer.Ordinal);
        foreach (var lead in await leads.AllAsync(ct)) las.UnionWith(lead.LaCodes ?? []);
        var loaded = (await calendars.ListAsync(ct)).Select(c => c.Calendar).ToHashSet(StringComparer.Ordinal);
        return las.Where(la => !loaded.Contains(CalendarStore.LaCalendar(la))).ToList();
    }

    /// <summary>Whether the loaded bank holidays cover today, and until when (docs/timeliness.md, "Bank holidays run out").</summary>
    public async Task<BankHolidayHealth> BankHolidaysAsync(CancellationToken ct) =>
        BankHolidayHealth.Judge(WorkingCalendar.BankHolidayCoverageOf(await calendars.BankHolidaysAsync(ct)),
            time.GetUtcNow().ToInstant().InZone(UkTime.Zone).Date, options.Value.BankHolidaysWarnAhead.Days);
}
