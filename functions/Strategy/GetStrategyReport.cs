using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Strategy;
using NotifyHub.Hosting;
using NotifyHub.Strategy;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/reports/strategy?from&amp;to&amp;format</c> (admin, partnership lead: its LAs): the strategy discussions about the
/// incidents received from <c>from</c> to <c>to</c> (UK dates, inclusive; default the last 13 weeks) — opened, held and
/// awaiting (overdue); the median and p90 from police being told, and from the decision, to the discussion being held, and
/// the share held within its due time; by agency type the invitees who answered, attended and sent information; the share
/// of invitees who had the minutes by their due time (the Dorset measure); probation consulted; actions done on time.
/// Counts and times only, read from the strategy discussions' view. <c>format=csv</c> (or <c>Accept: text/csv</c>) answers
/// the same as CSV, one measure a line.
/// </summary>
public sealed class GetStrategyReport(StrategyReports strategy, ReportReader reports, ReportScope scopes)
{
    [Function(nameof(GetStrategyReport))]
    [RequiresRole(Roles.Admin, Roles.Partnership, Roles.Inspector)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/strategy")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var scope = await scopes.ForAsync(request.HttpContext.Caller(), ct);
        return await AnswerAsync(request, strategy, reports, scope, ct);
    }

    /// <summary>The report for a scope, as JSON or CSV: shared with the dashboard's strategy endpoint (<c>GetDashboardStrategy</c>).</summary>
    public static async Task<IResult> AnswerAsync(HttpRequest request, StrategyReports strategy, ReportReader reports, Scope scope, CancellationToken ct)
    {
        var query = new QueryParameters(request.Query);
        var (from, to) = reports.Range(query);
        var format = query.OneOf("format", ["json", "csv"], null);
        if (query.Errors.Any) return Problems.Invalid(query.Errors);
        var report = await strategy.ReportAsync(scope, from, to, ct);
        return MeasureCsv.Wanted(request, format) ? MeasureCsv.Answer(request, "strategy", from, to, Csv(report)) : TypedResults.Ok(report);
    }

    /// <summary>
    /// The report as CSV (<see cref="MeasureCsv"/>): <c>from,to,measure,key,value</c>, one measure a line; the invitations'
    /// and the minutes' measures once with key <c>all</c> and once per agency type; durations in seconds, rates from 0 to 1.
    /// </summary>
    public static string Csv(StrategyReport r)
    {
        var d = r.Discussions;
        var lines = new List<(string Measure, string Key, object? Value)>
        {
            ("discussionsOpened", "", d.Opened), ("discussionsHeld", "", d.Held), ("discussionsAwaiting", "", d.Awaiting),
            ("discussionsAwaitingOverdue", "", d.AwaitingOverdue), ("discussionsJudged", "", d.Judged), ("heldWithinDue", "", d.HeldWithinDue),
            ("heldWithinDueRate", "", d.HeldWithinDueRate),
            ("incidentToHeldCount", "", d.IncidentToHeld.Count), ("incidentToHeldMedianSeconds", "", d.IncidentToHeld.MedianSeconds),
            ("incidentToHeldP90Seconds", "", d.IncidentToHeld.P90Seconds),
            ("decisionToHeldCount", "", d.DecisionToHeld.Count), ("decisionToHeldMedianSeconds", "", d.DecisionToHeld.MedianSeconds),
            ("decisionToHeldP90Seconds", "", d.DecisionToHeld.P90Seconds),
        };
        foreach (var i in r.InvitationsByAgencyType.Prepend(r.Invitations))
        {
            lines.AddRange([("invited", i.AgencyType, i.Invited), ("answered", i.AgencyType, i.Answered), ("answeredRate", i.AgencyType, i.AnsweredRate),
                ("attendanceRecorded", i.AgencyType, i.AttendanceRecorded), ("attended", i.AgencyType, i.Attended), ("attendedRate", i.AgencyType, i.AttendedRate),
                ("sentInformation", i.AgencyType, i.SentInformation), ("sentInformationRate", i.AgencyType, i.SentInformationRate)]);
        }
        foreach (var m in r.MinutesByAgencyType.Prepend(r.Minutes))
        {
            lines.AddRange([("minutesShared", m.AgencyType, m.Shared), ("minutesAcknowledged", m.AgencyType, m.Acknowledged), ("minutesJudged", m.AgencyType, m.Judged),
                ("minutesAcknowledgedByDue", m.AgencyType, m.AcknowledgedByDue), ("minutesAcknowledgedByDueRate", m.AgencyType, m.AcknowledgedByDueRate)]);
        }
        var p = r.Probation;
        lines.AddRange([("discussionsScheduled", "", p.Scheduled), ("probationInvited", "", p.Invited), ("probationInvitedRate", "", p.InvitedRate),
            ("probationAnswered", "", p.Answered), ("probationSentInformation", "", p.SentInformation), ("probationAttended", "", p.Attended)]);
        var a = r.Actions;
        lines.AddRange([("actions", "", a.Total), ("actionsDone", "", a.Done), ("actionsDoneByDue", "", a.DoneByDue), ("actionsOverdue", "", a.Overdue)]);
        return MeasureCsv.Write(r.From, r.To, lines);
    }
}
