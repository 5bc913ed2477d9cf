namespace NotifyHub.Timeliness;

/// <summary>Which local authorities the hub works for that have no term calendar: every LA with incidents (a rollup) or a partnership lead.</summary>
public sealed class CalendarCoverage(CalendarStore calendars, RollupStore rollups, PartnershipLeads leads)
{
    public async Task<IReadOnlyList<string>> LasWithoutTermCalendarAsync(CancellationToken ct)
    {
        var las = new SortedSet<string>(await rollups.LasAsync(ct), StringComparer.Ordinal);
        foreach (var lead in await leads.AllAsync(ct)) las.UnionWith(lead.LaCodes ?? []);
        var loaded = (await calendars.ListAsync(ct)).Select(c => c.Calendar).ToHashSet(StringComparer.Ordinal);
        return las.Where(la => !loaded.Contains(CalendarStore.LaCalendar(la))).ToList();
    }
}
