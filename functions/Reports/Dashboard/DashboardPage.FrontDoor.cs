using System.Text;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Web.Page;

namespace NotifyHub.Reports;

public static partial class DashboardPage
{
    /// <summary>
    /// The "Front door" section: the front-door report (docs/timeliness.md, "The front door hop") for the page's LAs and dates —
    /// how long shares waited at the MASH or education safeguarding team before going on, released in time, sent on without
    /// review, withheld by reason, still held — by relay. When no share went through a front door, one sentence says so.
    /// </summary>
    public static string FrontDoor(FrontDoorReport r, IReadOnlyList<string> laCodes)
    {
        var html = new StringBuilder(2048);
        html.Append("<h2 class=\"govuk-heading-l\" id=\"front-door-heading\">The front door</h2>")
            .Append("<p class=\"govuk-body\">Where an area's schools or teams are told through its MASH or education safeguarding team, each notification ")
            .Append("waits there to be reviewed and released before it goes on. How long it waited, and whether it went in time.</p>");
        var t = r.Total;
        if (t.Held == 0)
            return html.Append("<p class=\"govuk-body\" id=\"front-door-empty\"><strong>Nothing to show.</strong> No notification in ")
                .Append(H(LocalAuthorities.Names(laCodes))).Append(" went through a front door in this period.</p>").ToString();
        html.Append("<div id=\"front-door-summary\">").Append(SummaryList(
        [
            ("Held for review", Whole(t.Held)),
            ("Time held (median)", t.TimeHeld.Count == 0 ? "None decided yet" : Took(t.TimeHeld.MedianSeconds)),
            ("Time held (90th percentile)", t.TimeHeld.Count == 0 ? "None decided yet" : Took(t.TimeHeld.P90Seconds)),
            ("Released in time", t.ReleasedOnTimeRate is { } rate ? $"{Percent(rate)} ({Whole(t.ReleasedOnTime)} of {Whole(t.Released)} released)" : "None released yet"),
            ("Sent on without review", Whole(t.AutoReleased)),
            ("Withheld", t.Withheld == 0 ? "None"
                : $"{Whole(t.Withheld)}: " + string.Join(", ", t.WithheldByReason.Select(w => $"{WithholdReasons.Describe(w.Key)} ({Whole(w.Value)})"))),
            ("Still held", t.StillHeld == 0 ? "None" : $"{Whole(t.StillHeld)} ({(t.StillHeldOverdue == 0 ? "none" : Whole(t.StillHeldOverdue))} past the time to release)"),
        ])).Append("</div>");
        html.Append(CountsTable("front-door-relays", "Notifications held, by front door",
            ["Front door", "Held", "Median time held", "Released in time", "Sent on without review", "Withheld", "Still held"],
            r.ByRelay.Select(l => (l.Key, (IReadOnlyList<string>)
            [
                Whole(l.Held), Took(l.TimeHeld.MedianSeconds), l.ReleasedOnTimeRate is { } x ? Percent(x) : "–", Whole(l.AutoReleased), Whole(l.Withheld),
                Whole(l.StillHeld),
            ]))));
        return html.ToString();
    }
}
