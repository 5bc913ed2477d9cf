using System.Text;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Web.Page;

namespace NotifyHub.Reports;

public static partial class DashboardPage
{
    /// <summary>
    /// The "Strategy discussions" section: the strategy report (docs/strategy-discussions.md, "Reports") for the page's LAs
    /// and dates, as summary lists and tables of the report's own numbers — counts and times only, never a child, a
    /// contribution or the minutes. When no discussion was opened, one sentence says so.
    /// </summary>
    public static string Strategy(StrategyReport r, IReadOnlyList<string> laCodes)
    {
        var html = new StringBuilder(4096);
        html.Append("<h2 class=\"govuk-heading-l\" id=\"strategy-heading\">Strategy discussions</h2>")
            .Append("<p class=\"govuk-body\">The strategy discussions the MASHs opened about the incidents received in this period: whether they were held in ")
            .Append("time, who was asked, came and sent what they knew, who had the minutes by their due time, and the actions agreed.</p>");
        var d = r.Discussions;
        if (d.Opened == 0)
            return html.Append("<p class=\"govuk-body\" id=\"strategy-empty\"><strong>Nothing to show.</strong> No strategy discussion was opened about an incident in ")
                .Append(H(LocalAuthorities.Names(laCodes))).Append(" received in this period.</p>").ToString();

        html.Append("<div id=\"strategy-summary\">").Append(SummaryList(
        [
            ("Opened", Whole(d.Opened)),
            ("Held", Whole(d.Held)),
            ("Not yet held", d.Awaiting == 0 ? "None" : $"{Whole(d.Awaiting)} ({(d.AwaitingOverdue == 0 ? "none" : Whole(d.AwaitingOverdue))} overdue)"),
            ("Held by the due time", d.HeldWithinDueRate is { } within
                ? $"{Percent(within)} ({Whole(d.HeldWithinDue)} of {Whole(d.Judged)} judged)"
                : "None judged yet (none held, none overdue)"),
        ])).Append("</div>")
            .Append("<p class=\"govuk-body\">A discussion is <strong>judged</strong> once it has been held or the time it was due to be held by has passed.</p>");

        html.Append("<h3 class=\"govuk-heading-m\" id=\"strategy-times-heading\">Time to the discussion being held</h3>");
        if (d.Held == 0)
            html.Append("<p class=\"govuk-body\" id=\"strategy-times-none\">No discussion about these incidents has been held yet, so there are no times to show.</p>");
        else
            html.Append(CountsTable("strategy-times", "Time to the discussion being held", ["Measured from", "Discussions held", "Median time", "90th percentile time"],
                [
                    ("Police being told of the incident", [Whole(d.IncidentToHeld.Count), Took(d.IncidentToHeld.MedianSeconds), Took(d.IncidentToHeld.P90Seconds)]),
                    ("The MASH's decision", [Whole(d.DecisionToHeld.Count), Took(d.DecisionToHeld.MedianSeconds), Took(d.DecisionToHeld.P90Seconds)]),
                ]));

        html.Append("<h3 class=\"govuk-heading-m\" id=\"strategy-invitations-heading\">Invitations, by agency type</h3>");
        if (r.Invitations.Invited == 0)
            html.Append("<p class=\"govuk-body\" id=\"strategy-invitations-none\">No discussion about these incidents has been scheduled yet, so nobody has been invited.</p>");
        else
            html.Append("<p class=\"govuk-body\">Attendance is counted over the invitees of the discussions held, as their chair recorded it. ")
                .Append("Sent information counts the invitees who sent what they knew before the meeting, whether they came or not.</p>")
                .Append(CountsTable("strategy-invitations", "Invitations by agency type",
                    ["Agency type", "Invited", "Answered", "Invitees of discussions held", "Attended", "Share attended", "Sent information", "Share that sent information"],
                    r.InvitationsByAgencyType.Append(r.Invitations).Select(i => (AgencyType(i.AgencyType), (IReadOnlyList<string>)
                    [
                        Whole(i.Invited), Whole(i.Answered), Whole(i.AttendanceRecorded), Whole(i.Attended), Share(i.AttendedRate), Whole(i.SentInformation),
                        Share(i.SentInformationRate),
                    ]))));

        html.Append("<h3 class=\"govuk-heading-m\" id=\"strategy-minutes-heading\">Minutes received by the due time, by agency type</h3>");
        if (r.Minutes.Shared == 0)
            html.Append("<p class=\"govuk-body\" id=\"strategy-minutes-none\">No minutes of a discussion about these incidents have been shared yet.</p>");
        else
            html.Append("<p class=\"govuk-body\">Every invitee is sent the minutes, whether it came or not. Minutes are <strong>judged</strong> once the invitee ")
                .Append("has acknowledged reading them or their due time has passed; the share is of those judged.</p>")
                .Append(CountsTable("strategy-minutes", "Minutes acknowledged by the due time, by agency type",
                    ["Agency type", "Minutes shared", "Acknowledged", "Judged", "Acknowledged by the due time", "Share acknowledged by the due time"],
                    r.MinutesByAgencyType.Append(r.Minutes).Select(m => (AgencyType(m.AgencyType), (IReadOnlyList<string>)
                    [
                        Whole(m.Shared), Whole(m.Acknowledged), Whole(m.Judged), Whole(m.AcknowledgedByDue), Share(m.AcknowledgedByDueRate),
                    ]))));
        var dashes = (r.Invitations.Invited > 0 && r.InvitationsByAgencyType.Append(r.Invitations).Any(i => i.AttendedRate is null || i.SentInformationRate is null))
            || (r.Minutes.Shared > 0 && r.MinutesByAgencyType.Append(r.Minutes).Any(m => m.AcknowledgedByDueRate is null));
        if (dashes) html.Append("<p class=\"govuk-body-s\">– : nothing to divide by yet (no discussion held, or no minutes judged).</p>");

        var p = r.Probation;
        html.Append("<h3 class=\"govuk-heading-m\" id=\"strategy-probation-heading\">Probation consulted</h3>");
        if (p.Scheduled == 0)
            html.Append("<p class=\"govuk-body\" id=\"strategy-probation-none\">No discussion about these incidents has been scheduled yet.</p>");
        else
            html.Append("<div id=\"strategy-probation\">").Append(SummaryList(
            [
                ("Discussions with an NPS or CRC SPOC invited", $"{Share(p.InvitedRate)} ({Whole(p.Invited)} of {Whole(p.Scheduled)} scheduled)"),
                ("An SPOC answered", Whole(p.Answered)),
                ("An SPOC sent information", Whole(p.SentInformation)),
                ("An SPOC attended", Whole(p.Attended)),
            ])).Append("</div>");

        var a = r.Actions;
        html.Append("<h3 class=\"govuk-heading-m\" id=\"strategy-actions-heading\">Actions</h3>");
        if (a.Total == 0)
            html.Append("<p class=\"govuk-body\" id=\"strategy-actions-none\">No discussion held about these incidents agreed an action.</p>");
        else
            html.Append("<div id=\"strategy-actions\">").Append(SummaryList(
            [
                ("Agreed", Whole(a.Total)),
                ("Done", Whole(a.Done)),
                ("Done by the due time", Whole(a.DoneByDue)),
                ("Overdue (not done, past the due time)", Whole(a.Overdue)),
            ])).Append("</div>");
        return html.ToString();
    }

    private static string StrategyCsvPath(string token, StrategyReport report) =>
        $"{token}/strategy?from={report.From:yyyy-MM-dd}&to={report.To:yyyy-MM-dd}&format=csv";

    private static string AgencyType(string key) => key == StrategyReport.AllTypes ? "All agencies" : ReportLabels.RecipientType(key);

    private static string Share(double? rate) => rate is { } r ? Percent(r) : "–";
}
