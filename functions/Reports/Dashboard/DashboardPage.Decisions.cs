using System.Text;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Web.Page;

namespace NotifyHub.Reports;

public static partial class DashboardPage
{
    /// <summary>
    /// The "MASH decisions" section: the decision report (docs/decisions.md, "The decision report") for the page's LAs and
    /// dates, as summary lists and tables of the report's own numbers — counts and times only, never a child or what was
    /// decided about one. When nothing was decided and nothing awaits a decision, one sentence says so.
    /// </summary>
    public static string Decisions(DecisionReport r, IReadOnlyList<string> laCodes)
    {
        var html = new StringBuilder(4096);
        html.Append("<h2 class=\"govuk-heading-l\" id=\"decisions-heading\">MASH decisions</h2>")
            .Append("<p class=\"govuk-body\">What the MASHs decided about the incidents they received in this period, and what they still have to decide.</p>");
        if (r.Decided == 0 && r.Awaiting == 0)
            return html.Append("<p class=\"govuk-body\" id=\"decisions-empty\"><strong>Nothing to show.</strong> No incident in ")
                .Append(H(LocalAuthorities.Names(laCodes))).Append(" received by a MASH in this period has been decided on or is awaiting a decision.</p>")
                .ToString();

        var s = r.Sharing;
        html.Append("<div id=\"decisions-summary\">").Append(SummaryList(
        [
            ("Decided", Whole(r.Decided)),
            ("Awaiting a decision", r.Awaiting == 0 ? "None" : $"{Whole(r.Awaiting)} ({(r.AwaitingOverdue == 0 ? "none" : Whole(r.AwaitingOverdue))} overdue)"),
            ("Decided jointly", r.JointRate is { } joint ? $"{Percent(joint)} ({Whole(r.Joint)} of {Whole(r.Decided)})" : "No decisions yet"),
            ("Acknowledged by every agency by the due time", s.AcknowledgedByAllByDueRate is { } byAll
                ? $"{Percent(byAll)} ({Whole(s.AcknowledgedByAllByDue)} of {Whole(s.Judged)} judged)"
                : s.Versions == 0 ? "No decision shared yet" : $"None judged yet ({Whole(s.Versions)} shared, all still within their due time)"),
        ])).Append("</div>")
            .Append("<p class=\"govuk-body\">A decision is shared with every agency involved. It is <strong>judged</strong> once each of them has ")
            .Append("acknowledged it or its due time has passed; each new version of a decision counts on its own.</p>");

        html.Append("<h3 class=\"govuk-heading-m\" id=\"decisions-by-risk-heading\">Decided within the due time, by risk level</h3>");
        if (r.Decided == 0)
            html.Append("<p class=\"govuk-body\" id=\"decisions-none-decided\">No decision was recorded for these incidents yet, so there are no times or outcomes to show.</p>");
        else
        {
            html.Append("<p class=\"govuk-body\">Times run from when police were told of the incident to the MASH's decision.</p>")
                .Append(CountsTable("decisions-by-risk", "Decisions within the due time, by risk level",
                    ["Risk level", "Decided", "Within the due time", "Share within the due time", "Median time to the decision", "90th percentile time to the decision"],
                    r.ByRiskLevel.Select(line => (RiskLevel(line.RiskLevel), (IReadOnlyList<string>)
                    [
                        Whole(line.Decided), Whole(line.WithinDue), line.WithinDueRate is { } rate ? Percent(rate) : "–",
                        Took(line.ReportedToDecision.MedianSeconds), Took(line.ReportedToDecision.P90Seconds),
                    ]))));
            if (r.ByRiskLevel.Any(l => l.ReportedToDecision.MedianSeconds is null))
                html.Append("<p class=\"govuk-body-s\">– : no decision at that risk level has the time police were told.</p>");

            html.Append("<h3 class=\"govuk-heading-m\" id=\"decisions-by-outcome-heading\">Decisions by outcome</h3>")
                .Append(CountsTable("decisions-by-outcome", "Decisions by outcome (each incident's latest decision)", ["Outcome", "Decisions"],
                    DecisionOutcomes.All.Select(o => (o.Meaning, (IReadOnlyList<string>)[Whole(r.ByOutcome.GetValueOrDefault(o.Code))]))));
        }

        var c = r.Challenges;
        html.Append("<h3 class=\"govuk-heading-m\" id=\"decisions-challenges-heading\">Challenges</h3>");
        if (c.Raised == 0)
            html.Append("<p class=\"govuk-body\" id=\"decisions-challenges-none\">No agency challenged a decision about these incidents.</p>");
        else
            html.Append("<div id=\"decisions-challenges\">").Append(SummaryList(
                [
                    ("Raised", Whole(c.Raised)),
                    ("Answered", Whole(c.Answered)),
                    ("Upheld", Whole(c.Upheld)),
                    ("Not upheld", Whole(c.NotUpheld)),
                    ("Open", Whole(c.Open)),
                    ("Open past their due time", Whole(c.Overdue)),
                    ("Median time to an answer", c.TimeToResolution.MedianSeconds is { } median ? Took(median) : "None answered yet"),
                ])).Append("</div>")
                .Append(CountsTable("decisions-challengers", "Challenges by the challenger's agency type", ["Agency type", "Challenges raised"],
                    c.ByAgencyType.OrderBy(t => ReportLabels.Order(t.Key)).ThenBy(t => t.Key, StringComparer.Ordinal)
                        .Select(t => (ReportLabels.RecipientType(t.Key), (IReadOnlyList<string>)[Whole(t.Value)]))));

        var n = r.NextSteps;
        html.Append("<h3 class=\"govuk-heading-m\" id=\"decisions-next-steps-heading\">Next steps</h3>");
        if (n.Total == 0)
            html.Append("<p class=\"govuk-body\" id=\"decisions-next-steps-none\">No decision about these incidents set a next step.</p>");
        else
            html.Append("<div id=\"decisions-next-steps\">").Append(SummaryList(
            [
                ("Set", Whole(n.Total)),
                ("Done", Whole(n.Done)),
                ("Done by the due day", Whole(n.DoneByDue)),
                ("Overdue (not done, past the due day)", Whole(n.Overdue)),
            ])).Append("</div>");
        return html.ToString();
    }

    private static string DecisionsCsvPath(string token, DecisionReport report) =>
        $"{token}/decisions?from={report.From:yyyy-MM-dd}&to={report.To:yyyy-MM-dd}&format=csv";

    /// <summary>A table of rows, each headed by its first cell; every other column is a number or a time, aligned right.</summary>
    private static string CountsTable(string id, string caption, IReadOnlyList<string> headers, IEnumerable<(string Heading, IReadOnlyList<string> Cells)> rows)
    {
        var html = new StringBuilder();
        html.Append($"<div class=\"app-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}-caption\">")
            .Append($"<table class=\"govuk-table\" id=\"{id}\">")
            .Append($"<caption class=\"govuk-table__caption govuk-table__caption--s\" id=\"{id}-caption\">").Append(H(caption)).Append("</caption>")
            .Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        for (var i = 0; i < headers.Count; i++)
            html.Append("<th scope=\"col\" class=\"govuk-table__header").Append(i == 0 ? "" : " govuk-table__header--numeric").Append("\">").Append(H(headers[i])).Append("</th>");
        html.Append("</tr></thead><tbody class=\"govuk-table__body\">");
        foreach (var (heading, cells) in rows)
        {
            html.Append("<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">").Append(H(heading)).Append("</th>");
            foreach (var cell in cells) html.Append("<td class=\"govuk-table__cell govuk-table__cell--numeric\">").Append(H(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>A risk level in words; an incident sent without one is "Not given".</summary>
    private static string RiskLevel(string key) => key switch
    {
        "high" => "High",
        "medium" => "Medium",
        "standard" => "Standard",
        _ => "Not given",
    };

    /// <summary>A time in words, as the late list writes it ("5 hours 10 minutes"); under a minute says so; none is "–".</summary>
    public static string Took(double? seconds) => seconds switch
    {
        null => "–",
        < 60 => "under a minute",
        { } s => LateSharesPage.Duration(TimeSpan.FromSeconds(s)),
    };
}
