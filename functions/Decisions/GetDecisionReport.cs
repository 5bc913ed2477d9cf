using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Hosting;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/decisions?from&amp;to&amp;format</c> (admin, partnership lead: its LAs): what the MASHs decided about the
/// incidents they received from <c>from</c> to <c>to</c> (UK dates, inclusive; default the last 13 weeks) — how many were
/// decided and how many still await a decision (and how many of those are overdue), decisions by outcome, the share made
/// jointly, by risk level the share decided within its due time with the median and p90 from police being told to the
/// decision; the share of decisions acknowledged by every agency involved by its due time; challenges by the
/// challenger's agency type and time to an answer; next steps done and overdue. Counts and times only, read from the
/// decisions' views. <c>format=csv</c> (or <c>Accept: text/csv</c>) answers the same as CSV, one measure a line.
/// </summary>
public sealed class GetDecisionReport(MashDecisions decisions, ReportReader reports, ReportScope scopes)
{
    [Function(nameof(GetDecisionReport))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Inspector)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/decisions")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        return await AnswerAsync(request, decisions, reports, scope, ct);
    }

    /// <summary>The report for a scope, as JSON or CSV: shared with the dashboard's decisions endpoint (<c>GetDashboardDecisions</c>).</summary>
    public static async Task<IResult> AnswerAsync(HttpRequest request, MashDecisions decisions, ReportReader reports, Scope scope, CancellationToken ct)
    {
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        var format = query.OneOf("format", ["json", "csv"], null);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var report = await decisions.ReportAsync(scope, from, to, ct);
        return MeasureCsv.Wanted(request, format) ? MeasureCsv.Answer(request, "decisions", from, to, Csv(report)) : TypedResults.Ok(report);
    }

    /// <summary>The report as CSV (<see cref="MeasureCsv"/>): <c>from,to,measure,key,value</c>, one measure a line; durations in seconds, rates from 0 to 1.</summary>
    public static string Csv(DecisionReport r)
    {
        var lines = new List<(string Measure, string Key, object? Value)>
        {
            ("decided", "", r.Decided), ("awaiting", "", r.Awaiting), ("awaitingOverdue", "", r.AwaitingOverdue), ("joint", "", r.Joint),
            ("jointRate", "", r.JointRate),
        };
        lines.AddRange(r.ByOutcome.Select(o => ("byOutcome", o.Key, (object?)o.Value)));
        foreach (var risk in r.ByRiskLevel)
        {
            lines.Add(("decidedByRiskLevel", risk.RiskLevel, risk.Decided));
            lines.Add(("withinDueByRiskLevel", risk.RiskLevel, risk.WithinDue));
            lines.Add(("withinDueRateByRiskLevel", risk.RiskLevel, risk.WithinDueRate));
            lines.Add(("reportedToDecisionMedianSeconds", risk.RiskLevel, risk.ReportedToDecision.MedianSeconds));
            lines.Add(("reportedToDecisionP90Seconds", risk.RiskLevel, risk.ReportedToDecision.P90Seconds));
        }
        var s = r.Sharing;
        lines.AddRange([("versionsShared", "", s.Versions), ("versionsJudged", "", s.Judged), ("acknowledgedByAllByDue", "", s.AcknowledgedByAllByDue),
            ("acknowledgedByAllByDueRate", "", s.AcknowledgedByAllByDueRate), ("shares", "", s.Shares), ("sharesAcknowledgedByDue", "", s.SharesAcknowledgedByDue)]);
        var c = r.Challenges;
        lines.AddRange([("challengesRaised", "", c.Raised), ("challengesAnswered", "", c.Answered), ("challengesUpheld", "", c.Upheld),
            ("challengesNotUpheld", "", c.NotUpheld), ("challengesOpen", "", c.Open), ("challengesOverdue", "", c.Overdue),
            ("challengeTimeToResolutionMedianSeconds", "", c.TimeToResolution.MedianSeconds), ("challengeTimeToResolutionP90Seconds", "", c.TimeToResolution.P90Seconds)]);
        lines.AddRange(c.ByAgencyType.Select(t => ("challengesByAgencyType", t.Key, (object?)t.Value)));
        var n = r.NextSteps;
        lines.AddRange([("nextSteps", "", n.Total), ("nextStepsDone", "", n.Done), ("nextStepsDoneByDue", "", n.DoneByDue), ("nextStepsOverdue", "", n.Overdue)]);

        return MeasureCsv.Write(r.From, r.To, lines);
    }
}
