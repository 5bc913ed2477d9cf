using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/calendars/schools/{calendarId}</c> (admin): a school's own calendar — its own term dates (an
/// academy's), closed days (INSET days), or both — as a new version. Schools use it through their <c>calendarOverride</c>
/// field, so one trust's calendar can serve all its schools.
/// </summary>
public sealed class LoadSchoolCalendar(CalendarStore calendars, AuditTrail audit)
{
    public const long MaxBytes = 256 * 1024;

    [Function(nameof(LoadSchoolCalendar))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/calendars/schools/{calendarId}")] HttpRequest request,
        string calendarId)
    {
        if (calendarId.Length is < 2 or > 64 || !calendarId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return Problems.Invalid("calendarId", "must be a calendar id: 2 to 64 lower-case letters, digits or '-'");
        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadBytesAsync(request, MaxBytes, "application/json", ct);
        if (problem is not null) return problem;
        var calendar = SchoolCalendarOverride.Parse(body, out var errors);
        if (calendar is null || errors.Any) return Problems.Invalid(errors);
        var caller = request.HttpContext.Caller();
        var saved = await calendars.SaveSchoolAsync(calendarId, calendar, caller.KeyId, ct);
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.CalendarLoaded, [saved.Calendar], new { saved.Version, saved.Terms, saved.Days }, ct);
        return TypedResults.Ok(saved);
    }
}
