using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/calendars</c> (admin): the current version of every calendar, and the local authorities that have
/// incidents or a partnership lead but no term calendar — their schools' due times are guesses (weekdays without bank
/// holidays), marked <c>dueGuessed</c>, until one is loaded.
/// </summary>
public sealed class ListCalendars(CalendarStore calendars, CalendarCoverage coverage)
{
    public sealed record Answer(IReadOnlyList<CalendarSummary> Calendars, bool BankHolidaysLoaded, IReadOnlyList<string> LasWithoutTermCalendar);

    [Function(nameof(ListCalendars))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/calendars")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var list = await calendars.ListAsync(ct);
        return TypedResults.Ok(new Answer(list, list.Any(c => c.Calendar == CalendarStore.BankHolidaysCalendar), await coverage.LasWithoutTermCalendarAsync(ct)));
    }
}
