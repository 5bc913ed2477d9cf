using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/decisions?from&amp;to</c> (admin, partnership lead: its LAs): what the MASHs decided about the
/// incidents they received from <c>from</c> to <c>to</c> (UK dates, inclusive; default the last 13 weeks) — how many were
/// decided and how many still await a decision (and how many of those are overdue), decisions by outcome, the share made
/// jointly, and by risk level the share decided within its due time with the median and p90 hours from police being
/// told to the decision. Counts and times only, read from the decisions' views.
/// </summary>
public sealed class GetDecisionReport(MashDecisions decisions, ReportReader reports, ReportScope scopes, IOptions<TimelinessOptions> timeliness, TimeProvider time)
{
    public sealed record RiskLine(string RiskLevel, int Decided, int WithinDue, double? WithinDueRate, Distribution ReportedToDecision);

    public sealed record Answer(DateOnly From, DateOnly To, IReadOnlyList<string>? Las, int Decided, int Awaiting, int AwaitingOverdue,
        IReadOnlyDictionary<string, int> ByOutcome, int Joint, double? JointRate, IReadOnlyList<RiskLine> ByRiskLevel);

    [Function(nameof(GetDecisionReport))]
    [RequiresRole(Roles.Admin, Roles.Partnership)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/decisions")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        var options = timeliness.Value;
        var now = time.GetUtcNow();
        bool InRange(TableEntity row) =>
            scope.Covers(row.GetString("La") ?? "", row.GetString("ForceCode") ?? "")
            && row.GetDateTimeOffset("ReceivedAt") is { } received && UkTime.DateOf(received) is var day && day >= from && day <= to;

        var made = new List<TableEntity>();
        await foreach (var row in decisions.MadeAsync(ct))
        {
            if (InRange(row)) made.Add(row);
        }
        var (awaiting, overdue) = (0, 0);
        await foreach (var row in decisions.AwaitingAsync(null, ct))
        {
            if (!InRange(row)) continue;
            awaiting++;
            if (options.DecisionDueAt(row.GetDateTimeOffset("ReceivedAt")!.Value, row.GetString("RiskLevel")) < now) overdue++;
        }

        var byOutcome = DecisionOutcomes.All.ToDictionary(o => o.Code, o => made.Count(r => r.GetString("Outcome") == o.Code));
        var joint = made.Count(r => r.GetBoolean("Joint") == true);
        var byRisk = made.GroupBy(r => r.GetString("RiskLevel") ?? "unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var histogram = new DurationHistogram();
            var within = 0;
            foreach (var row in g)
            {
                var decided = row.GetDateTimeOffset("DecidedAt") ?? default;
                var received = row.GetDateTimeOffset("ReceivedAt") ?? default;
                if (decided <= options.DecisionDueAt(received, g.Key)) within++;
                if (row.GetDateTimeOffset("ReportedAt") is { } reported) histogram.Add(Math.Max(0, (decided - reported).TotalSeconds));
            }
            var count = g.Count();
            return new RiskLine(g.Key, count, within, Rate(within, count), histogram.ToDistribution());
        }).ToList();
        return TypedResults.Ok(new Answer(from, to, scope.Las, made.Count, awaiting, overdue, byOutcome, joint, Rate(joint, made.Count), byRisk));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
