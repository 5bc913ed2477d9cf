using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;
using NodaTime.Text;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>What one loaded calendar holds, as the admin API reports it.</summary>
public sealed record CalendarSummary(string Calendar, int Version, DateTimeOffset LoadedAt, string LoadedBy, string? FirstDay, string? LastDay, int Terms, int Days);

/// <summary>
/// Calendars in table <c>Calendars</c>: partition = the calendar (<c>bank-holidays</c>, <c>la-{code}</c>,
/// <c>school-{id}</c>); row <c>current</c> is what due times use, and every load also keeps row <c>v{000001}</c>, so each
/// version stays readable. Read through a one-minute cache: routing reads the same few calendars for every incident.
/// </summary>
public sealed class CalendarStore(TableServiceClient tables, TimeProvider time)
{
    public const string BankHolidaysCalendar = "bank-holidays";
    public static string LaCalendar(string laCode) => "la-" + laCode;
    public static string SchoolCalendar(string calendarId) => "school-" + calendarId;

    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private const string Current = "current";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 5_000 });

    private TableClient Table => tables.GetTableClient(StorageNames.CalendarsTable);

    private sealed record Stored(IReadOnlyList<string> Days, IReadOnlyList<StoredTerm> Terms);
    private sealed record StoredTerm(string Name, string FirstDay, string LastDay);

    public Task<CalendarSummary> SaveBankHolidaysAsync(IReadOnlySet<LocalDate> days, string loadedBy, CancellationToken ct) =>
        SaveAsync(BankHolidaysCalendar, new Stored(days.Order().Select(Text).ToList(), []), loadedBy, ct);

    public Task<CalendarSummary> SaveLaTermsAsync(string laCode, IReadOnlyList<Term> terms, string loadedBy, CancellationToken ct) =>
        SaveAsync(LaCalendar(laCode), new Stored([], terms.Select(Of).ToList()), loadedBy, ct);

    public Task<CalendarSummary> SaveSchoolAsync(string calendarId, SchoolCalendarOverride calendar, string loadedBy, CancellationToken ct) =>
        SaveAsync(SchoolCalendar(calendarId), new Stored(calendar.ClosedDays.Order().Select(Text).ToList(), (calendar.Terms ?? []).Select(Of).ToList()), loadedBy, ct);

    /// <summary>Writes a new version: the version row first, then <c>current</c> conditionally on the version read, so two loads never share a number.</summary>
    private async Task<CalendarSummary> SaveAsync(string calendar, Stored stored, string loadedBy, CancellationToken ct)
    {
        for (var tries = 0; ; tries++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(calendar, Current, cancellationToken: ct);
            var version = (current.HasValue ? current.Value!.GetInt32("Version") ?? 0 : 0) + 1;
            var now = time.GetUtcNow();
            TableEntity Row(string rowKey)
            {
                var row = new TableEntity(calendar, rowKey) { ["Version"] = version, ["LoadedAt"] = now, ["LoadedBy"] = loadedBy };
                LargeBinary.Write(row, "Data", JsonSerializer.SerializeToUtf8Bytes(stored, Json));
                return row;
            }
            await Table.UpsertEntityAsync(Row($"v{version:D6}"), TableUpdateMode.Replace, ct);
            try
            {
                if (current.HasValue) await Table.UpdateEntityAsync(Row(Current), current.Value!.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(Row(Current), ct);
                _cache.Remove(calendar);
                return Summary(calendar, version, now, loadedBy, stored);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && tries < 5)
            {
                // Another load took this version number; take the next.
            }
        }
    }

    /// <summary>The current version of every calendar loaded.</summary>
    public async Task<IReadOnlyList<CalendarSummary>> ListAsync(CancellationToken ct)
    {
        var list = new List<CalendarSummary>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {Current}"), cancellationToken: ct))
        {
            list.Add(Summary(row.PartitionKey, row.GetInt32("Version") ?? 0, row.GetDateTimeOffset("LoadedAt") ?? default, row.GetString("LoadedBy") ?? "",
                Read(row)));
        }
        return list.OrderBy(c => c.Calendar, StringComparer.Ordinal).ToList();
    }

    /// <summary>The calendar due times use for <paramref name="recipient"/>: bank holidays, and for schools and settings their LA's terms or their own.</summary>
    public async Task<WorkingCalendar> ForAsync(Organisation recipient, CancellationToken ct)
    {
        var bankHolidays = await BankHolidaysAsync(ct);
        if (recipient.Type is not (OrganisationTypes.School or OrganisationTypes.EarlyYearsSetting)) return WorkingCalendar.WithoutTerms(bankHolidays);
        var la = recipient.LaCode is { } code ? await CachedAsync(LaCalendar(code), ct) : null;
        var own = recipient.CalendarOverride is { } id ? await CachedAsync(SchoolCalendar(id), ct) : null;
        var laTerms = la?.Terms.Select(Of).ToList();
        var school = own is null ? null : new SchoolCalendarOverride(own.Terms.Count > 0 ? own.Terms.Select(Of).ToList() : null, own.Days.Select(Day).ToHashSet());
        return WorkingCalendar.For(bankHolidays, laTerms, school);
    }

    /// <summary>The England-and-Wales bank holidays loaded (none if none are).</summary>
    public async Task<IReadOnlySet<LocalDate>> BankHolidaysAsync(CancellationToken ct) =>
        (await CachedAsync(BankHolidaysCalendar, ct))?.Days.Select(Day).ToHashSet() ?? [];

    /// <summary>Whether an LA has a term calendar loaded.</summary>
    public async Task<bool> HasLaCalendarAsync(string laCode, CancellationToken ct) => await CachedAsync(LaCalendar(laCode), ct) is not null;

    private async Task<Stored?> CachedAsync(string calendar, CancellationToken ct) =>
        await _cache.GetOrCreateAsync(calendar, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 1;
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(calendar, Current, cancellationToken: ct);
            return row.HasValue ? Read(row.Value!) : null;
        });

    private static Stored Read(TableEntity row) =>
        LargeBinary.Read(row, "Data") is { } data ? JsonSerializer.Deserialize<Stored>(data, Json) ?? new Stored([], []) : new Stored([], []);

    private static CalendarSummary Summary(string calendar, int version, DateTimeOffset at, string by, Stored stored)
    {
        var days = stored.Terms.SelectMany(t => new[] { t.FirstDay, t.LastDay }).Concat(stored.Days).Order(StringComparer.Ordinal).ToList();
        return new CalendarSummary(calendar, version, at, by, days.FirstOrDefault(), days.LastOrDefault(), stored.Terms.Count, stored.Days.Count);
    }

    private static StoredTerm Of(Term t) => new(t.Name, Text(t.FirstDay), Text(t.LastDay));
    private static Term Of(StoredTerm t) => new(t.Name, Day(t.FirstDay), Day(t.LastDay));
    private static string Text(LocalDate day) => LocalDatePattern.Iso.Format(day);
    private static LocalDate Day(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();
}
