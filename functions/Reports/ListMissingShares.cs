using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/missing?from&amp;to</c> (admin, partnership lead, police): the shares that never reached anyone,
/// with why — <c>unrouted</c> (no recipient could be resolved), <c>failed</c> (every channel exhausted) and
/// <c>missing-at-source</c> (in the force's manifest, never received by the hub) — reported from <c>from</c> to
/// <c>to</c> (default: the last 13 weeks). A partnership lead sees its LAs, a force its own incidents. No child data.
/// </summary>
public sealed class ListMissingShares(ReportReader reports, ReportScope scopes)
{
    public sealed record Answer(string From, string To, int Count, IReadOnlyList<MissingShare> Items);

    [Function(nameof(ListMissingShares))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Police)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/missing")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        var items = await reports.MissingAsync(scope, from, to, ct);
        return TypedResults.Ok(new Answer(from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), items.Count, items));
    }
}
