using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using NotifyHub.Auth;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/timeliness?from&amp;to&amp;groupBy&amp;period&amp;format</c> (admin, partnership lead): deliveries,
/// delivered and acknowledged by their due time, late, failed, unrouted and missing at source, with rates, median and
/// p90 times to deliver and to acknowledge, and police-side delay — for the shares reported from <c>from</c> to <c>to</c>
/// (default: the last 13 weeks), grouped by <c>recipientType</c> (NPS and CRC always apart), <c>organisation</c>,
/// <c>riskLevel</c>, <c>la</c> or <c>force</c>, and by <c>week</c> or <c>month</c>. A partnership lead sees its own LAs
/// only. <c>format=csv</c> (or <c>Accept: text/csv</c>) answers the same as CSV. Read from the rollups; no child data.
/// </summary>
public sealed class GetTimelinessReport(ReportReader reports, ReportScope scopes)
{
    [Function(nameof(GetTimelinessReport))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Inspector)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/timeliness")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        return await AnswerAsync(request, reports, scope, ct);
    }

    /// <summary>The report for a scope, as JSON or CSV: shared with the dashboard's data endpoint.</summary>
    public static async Task<IResult> AnswerAsync(HttpRequest request, ReportReader reports, Scope scope, CancellationToken ct)
    {
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        var groupBy = query.OneOf("groupBy", ReportDimensions.All, null);
        var period = query.OneOf("period", ReportDimensions.Periods, ReportDimensions.WholeRange)!;
        var format = query.OneOf("format", ["json", "csv"], null);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var report = await reports.TimelinessAsync(scope, new ReportQuery(from, to, groupBy, period), ct);
        var csv = format == "csv" || (format is null && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
        if (!csv) return TypedResults.Ok(report);
        request.HttpContext.Response.Headers.ContentDisposition =
            new ContentDispositionHeaderValue("attachment") { FileName = $"timeliness-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.csv" }.ToString();
        return TypedResults.Text(ReportReader.Csv(report), "text/csv; charset=utf-8");
    }
}
