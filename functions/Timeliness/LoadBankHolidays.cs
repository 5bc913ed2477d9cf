using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/calendars/bank-holidays</c> (admin): loads the GOV.UK bank-holidays JSON as published
/// (https://www.gov.uk/bank-holidays.json; every division accepted, England and Wales kept) as a new version.
/// </summary>
public sealed class LoadBankHolidays(CalendarStore calendars, AuditTrail audit)
{
    public const long MaxBytes = 1024 * 1024;

    [Function(nameof(LoadBankHolidays))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/calendars/bank-holidays")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadBytesAsync(request, MaxBytes, "application/json", ct);
        if (problem is not null) return problem;
        var days = BankHolidaysFile.Parse(body, out var errors);
        if (days is null || errors.Any) return Problems.Invalid(errors);
        var caller = request.HttpContext.Caller();
        var saved = await calendars.SaveBankHolidaysAsync(days, caller.KeyId, ct);
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.CalendarLoaded, [saved.Calendar], new { saved.Version, saved.Days }, ct);
        return TypedResults.Ok(saved);
    }
}
