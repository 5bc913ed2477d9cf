using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.FrontDoor;
using NotifyHub.Hosting;
using NotifyHub.Reports;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/front-door?from&amp;to&amp;format</c> (admin, partnership lead: its LAs; inspector: its LAs): the shares held
/// at LA front doors from <c>from</c> to <c>to</c> (UK dates, inclusive; default the last 13 weeks) — how long they were held
/// (median and p90), how many were released on time and late, sent on without review, withheld (by reason), and still held
/// (and overdue); in total, by relay and by recipient type. Counts and times only, read from the front-door view.
/// <c>format=csv</c> (or <c>Accept: text/csv</c>) answers the same as CSV, one measure a line.
/// </summary>
public sealed class GetFrontDoorReport(FrontDoorReviews reviews, ReportReader reports, ReportScope scopes)
{
    [Function(nameof(GetFrontDoorReport))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Inspector)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/front-door")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        var format = query.OneOf("format", ["json", "csv"], null);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var report = await reviews.ReportAsync(scope, from, to, ct);
        return MeasureCsv.Wanted(request, format) ? MeasureCsv.Answer(request, "front-door", from, to, Csv(report)) : TypedResults.Ok(report);
    }

    /// <summary>The report as CSV (<see cref="MeasureCsv"/>): <c>from,to,measure,key,value</c>; a line's key is <c>all</c>, a relay's id or a recipient type.</summary>
    public static string Csv(FrontDoorReport r)
    {
        var lines = new List<(string Measure, string Key, object? Value)>();
        foreach (var (prefix, line) in new[] { ("", r.Total) }.Concat(r.ByRelay.Select(l => ("relay:", l))).Concat(r.ByRecipientType.Select(l => ("type:", l))))
        {
            var key = prefix + line.Key;
            lines.AddRange([("held", key, line.Held), ("stillHeld", key, line.StillHeld), ("stillHeldOverdue", key, line.StillHeldOverdue),
                ("timeHeldMedianSeconds", key, line.TimeHeld.MedianSeconds), ("timeHeldP90Seconds", key, line.TimeHeld.P90Seconds),
                ("released", key, line.Released), ("releasedOnTime", key, line.ReleasedOnTime), ("releasedLate", key, line.ReleasedLate),
                ("releasedOnTimeRate", key, line.ReleasedOnTimeRate), ("autoReleased", key, line.AutoReleased), ("withheld", key, line.Withheld)]);
            lines.AddRange(line.WithheldByReason.Select(w => ("withheld:" + w.Key, key, (object?)w.Value)));
        }
        return MeasureCsv.Write(r.From, r.To, lines);
    }
}
