using System.Text;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/calendars/las/{laCode}</c> (admin, <c>text/csv</c>): loads a local authority's term dates
/// (<c>la_code,term,first_day,last_day</c>, docs/timeliness.md) as a new version of that LA's calendar.
/// </summary>
public sealed class LoadTermDates(CalendarStore calendars, AuditTrail audit)
{
    public const long MaxBytes = 256 * 1024;

    [Function(nameof(LoadTermDates))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/calendars/las/{laCode}")] HttpRequest request, string laCode)
    {
        if (laCode.Length != 3 || !laCode.All(char.IsAsciiDigit)) return Problems.Invalid("laCode", "must be a three-digit DfE local authority code");
        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadBytesAsync(request, MaxBytes, "text/csv", ct);
        if (problem is not null) return problem;
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body!); }
        catch (DecoderFallbackException) { return Problems.Invalid("$", "the body is not UTF-8 text"); }
        var terms = TermDatesCsv.Parse(text, laCode, out var errors);
        if (terms is null || errors.Any) return Problems.Invalid(errors);
        var caller = request.HttpContext.Caller();
        var saved = await calendars.SaveLaTermsAsync(laCode, terms, caller.KeyId, ct);
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.CalendarLoaded, [saved.Calendar], new { saved.Version, saved.Terms }, ct);
        return TypedResults.Ok(saved);
    }
}
