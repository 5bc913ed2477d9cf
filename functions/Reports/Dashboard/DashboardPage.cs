using System.Globalization;
using System.Text;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Web;
using static NotifyHub.Web.Page;

namespace NotifyHub.Reports;

/// <summary>
/// The partnership lead's timeliness dashboard, rendered on the server from the report: the period's totals, then a
/// panel per question — acknowledged by the due time by recipient type, late and missing shares, police-side delay, NPS
/// against CRC — each a table of the report's own numbers week by week, or a sentence saying why there is nothing to
/// show; then the MASHs' decisions over the same weeks (<see cref="Decisions"/>) and the strategy discussions
/// (<see cref="Strategy"/>). It works with JavaScript off. With it, <c>dashboard.js</c> draws each table marked <c>data-chart</c> as a line
/// chart above it (Chart.js, from <c>/assets/</c>), reading the numbers from the table itself, so chart and table can
/// never disagree. A pure function of the reports: the function around it reads them.
/// </summary>
public static partial class DashboardPage
{
    public static readonly IReadOnlyList<string> Scripts = ["chart.umd.min.js", "dashboard.js"];

    /// <summary>What the page shows: the lead, its LAs, the report by recipient type and in total, both week by week, and the decision and strategy reports for the same dates.</summary>
    /// <param name="Token">The link's token: the page's own links (the late list, the CSV) are relative to <c>/api/dashboard/</c>.</param>
    public sealed record View(string Token, string LeadName, IReadOnlyList<string> LaCodes, TimelinessReport ByType, TimelinessReport Totals, int OpenLate,
        DecisionReport Decided, StrategyReport? Strategy = null, Domain.FrontDoor.FrontDoorReport? FrontDoor = null);

    private enum Unit { Rate, Count, Hours }

    private sealed record Series(string Key, string Name, IReadOnlyList<double?> Values);

    public static string Title(IReadOnlyList<string> laCodes) =>
        laCodes.Count == 0 ? "Timeliness" : "Timeliness for " + LocalAuthorities.Names(laCodes);

    public static string Render(View view) => Page.Render(Title(view.LaCodes), Body(view), scripts: Scripts, wide: true);

    public static string Body(View view)
    {
        var weeks = Weeks(view.ByType.From, view.ByType.To);
        var total = view.Totals.Total;
        var html = new StringBuilder(16384);
        html.Append("<span class=\"govuk-caption-l\">").Append(H(view.LeadName)).Append("</span>")
            .Append("<h1 class=\"govuk-heading-xl\">").Append(H(Title(view.LaCodes))).Append("</h1>")
            .Append("<p class=\"govuk-body-l\">Shares reported from ").Append(H(Day(view.ByType.From))).Append(" to ").Append(H(Day(view.ByType.To)))
            .Append(". Weeks start on Monday; times are UK time.</p>")
            .Append("<div class=\"govuk-inset-text\">A share is <strong>on time</strong> only when a person at the recipient acknowledged it by its due time. ")
            .Append("One delivered but not acknowledged in time counts as late.</div>");

        var empty = view.ByType.Groups.Count == 0 && view.Totals.Groups.Count == 0;
        html.Append("<h2 class=\"govuk-heading-l\">This period in total</h2>");
        if (empty)
            html.Append("<p class=\"govuk-body\" id=\"nothing\">No shares — delivered, late or missing — were recorded for ")
                .Append(H(LocalAuthorities.Names(view.LaCodes))).Append(" in this period.</p>");
        html.Append(SummaryList(
        [
            ("Deliveries", Whole(total.Deliveries)),
            ("Acknowledged by the due time", total.AcknowledgedByDueRate is { } rate ? $"{Percent(rate)} ({Whole(total.AcknowledgedByDue)} of the deliveries with a due time)" : "No deliveries with a due time"),
            ("Late", Whole(total.Late)),
            ("Failed", Whole(total.Failed)),
            ("Unrouted", Whole(total.Unrouted)),
            ("Missing at source", Whole(total.MissingAtSource)),
        ]));
        html.Append("<p class=\"govuk-body\">")
            .Append(view.OpenLate == 0
                ? "<strong class=\"govuk-tag govuk-tag--green\">None late now</strong> No share is late and still unacknowledged. "
                : $"<strong class=\"govuk-tag govuk-tag--red\">{Whole(view.OpenLate)} late now</strong> <a class=\"govuk-link\" href=\"{H(view.Token + "/late")}\">See the shares that are late and not yet acknowledged</a>. ")
            .Append("</p>");

        // Acknowledged by the due time, by recipient type: a line per type that had deliveries with a due time.
        var types = view.ByType.Groups.Select(g => g.Key).Distinct().OrderBy(ReportLabels.Order).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var byType = Index(view.ByType);
        Series TypeSeries(string key, Func<ReportGroup, double?> pick) =>
            new(key, ReportLabels.RecipientType(key), [.. weeks.Select(w => byType.TryGetValue((w, key), out var g) ? pick(g) : null)]);
        var ontime = types.Select(t => TypeSeries(t, g => g.AcknowledgedByDueRate)).Where(s => s.Values.Any(v => v is not null)).ToList();
        html.Append(Panel("ontime", "Acknowledged by the due time, by recipient type",
            "The share of each week's deliveries with a due time that a person acknowledged by it.",
            "Share acknowledged by the due time, by recipient type and week", Unit.Rate, weeks, ontime,
            "No deliveries with a due time were made to these authorities' recipients in this period, so there is no rate to show."));
        var delivered = types.Select(t => TypeSeries(t, g => g.DeliveredByDueRate)).Where(s => s.Values.Any(v => v is not null)).ToList();
        if (delivered.Count > 0)
            html.Append("<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">")
                .Append("Delivered by the due time (the recipient's system accepted it; not yet proof that a person read it)</span></summary>")
                .Append("<div class=\"govuk-details__text\">")
                .Append(Table("delivered", "Share delivered by the due time, by recipient type and week", Unit.Rate, weeks, delivered, chart: false))
                .Append("</div></details>");

        // Late and missing: counts; a week with nothing is zero.
        var all = Index(view.Totals);
        Series Count(string key, string name, Func<ReportGroup, double?> pick, double? absent) =>
            new(key, name, [.. weeks.Select(w => all.TryGetValue((w, "all"), out var g) ? pick(g) : absent)]);
        var lateMissing = new List<Series>
        {
            Count("late", "Late", g => g.Late, 0), Count("failed", "Failed", g => g.Failed, 0),
            Count("unrouted", "Unrouted", g => g.Unrouted, 0), Count("missingAtSource", "Missing at source", g => g.MissingAtSource, 0),
        };
        html.Append(Panel("late-missing", "Late and missing shares",
            "<strong>Late</strong>: not acknowledged by its due time. <strong>Failed</strong>: delivery failed on every channel. " +
            "<strong>Unrouted</strong>: no recipient could be found for a child. <strong>Missing at source</strong>: in the police daily manifest, never received by the hub.",
            "Late and missing shares by week", Unit.Count, weeks, lateMissing.Any(s => s.Values.Any(v => v > 0)) ? lateMissing : [],
            "No share was late, failed, unrouted or missing at source in this period.", encodedExplanation: true));

        // Police-side delay: median hours; a week with no incident measured is a gap.
        var police = new List<Series>
        {
            Count("reportedToReceived", "Reported to police → received by the hub", g => Hours(g.PoliceDelay.ReportedToReceived), null),
            Count("occurredToAttended", "Incident → police attended", g => Hours(g.PoliceDelay.OccurredToAttended), null),
        }.Where(s => s.Values.Any(v => v is not null)).ToList();
        html.Append(Panel("police-delay", "Police-side delay",
            "The median, in hours, over each week's incidents: from when police were told to when the hub received the incident, and from the incident to police attendance.",
            "Median police-side delay in hours, by week", Unit.Hours, weeks, police,
            "No incidents with police times were received for these authorities in this period."));

        // Probation: NPS and CRC side by side, never merged.
        string[] probation = [OrganisationTypes.NpsSpoc, OrganisationTypes.CrcSpoc];
        var probationDeliveries = probation.Select(t => new Series(t, ReportLabels.RecipientType(t),
            [.. weeks.Select(w => byType.TryGetValue((w, t), out var g) ? g.Deliveries : (double?)0)])).ToList();
        var probationOntime = probation.Select(t => TypeSeries(t, g => g.AcknowledgedByDueRate)).ToList();
        var noProbation = probationDeliveries.All(s => s.Values.All(v => v is null or 0));
        html.Append("<h2 class=\"govuk-heading-l\" id=\"probation-heading\">Probation: NPS and CRC</h2>");
        if (noProbation)
            html.Append("<p class=\"govuk-body\" id=\"probation-empty\">No shares went to the NPS or CRC SPOCs in this period.</p>");
        else
            html.Append(Panel("probation-deliveries", "Deliveries", "Deliveries to each SPOC, week by week.",
                    "Deliveries to the NPS and CRC SPOCs by week", Unit.Count, weeks, probationDeliveries, "", level: 3))
                .Append(Panel("probation-ontime", "Acknowledged by the due time", "The share of each SPOC's deliveries acknowledged by the due time.",
                    "Share of NPS and CRC deliveries acknowledged by the due time, by week", Unit.Rate, weeks,
                    probationOntime.Where(s => s.Values.Any(v => v is not null)).ToList(),
                    "Neither SPOC had a delivery with a due time in this period.", level: 3));

        html.Append(Decisions(view.Decided, view.LaCodes));
        if (view.Strategy is { } strategy) html.Append(Strategy(strategy, view.LaCodes));
        if (view.FrontDoor is { } frontDoor) html.Append(FrontDoor(frontDoor, view.LaCodes));

        html.Append("<h2 class=\"govuk-heading-l\">Download the figures</h2><ul class=\"govuk-list\">")
            .Append("<li><a class=\"govuk-link\" href=\"").Append(H(CsvPath(view.Token, view.ByType, "&groupBy=recipientType"))).Append("\">By recipient type and week (CSV)</a></li>")
            .Append("<li><a class=\"govuk-link\" href=\"").Append(H(CsvPath(view.Token, view.Totals, ""))).Append("\">All shares by week (CSV)</a></li>")
            .Append("<li><a class=\"govuk-link\" href=\"").Append(H(DecisionsCsvPath(view.Token, view.Decided))).Append("\" id=\"decisions-csv\">MASH decisions (CSV)</a></li>")
            .Append(view.Strategy is { } s
                ? $"<li><a class=\"govuk-link\" href=\"{H(StrategyCsvPath(view.Token, s))}\" id=\"strategy-csv\">Strategy discussions (CSV)</a></li>"
                : "")
            .Append("</ul>")
            .Append("<p class=\"govuk-body\">This page is opened by a link that works for a few days. Do not forward it: ")
            .Append("anyone with the link sees these figures. Each morning's digest brings a new one.</p>");
        return html.ToString();
    }

    private static string CsvPath(string token, TimelinessReport report, string groupBy) =>
        $"{token}/timeliness?from={report.From:yyyy-MM-dd}&to={report.To:yyyy-MM-dd}&period=week{groupBy}&format=csv";

    private static string Panel(string id, string heading, string explanation, string caption, Unit unit, IReadOnlyList<string> weeks,
        IReadOnlyList<Series> series, string whyEmpty, bool encodedExplanation = false, int level = 2)
    {
        var html = new StringBuilder();
        var size = level == 2 ? "l" : "m";
        html.Append($"<h{level} class=\"govuk-heading-{size}\" id=\"{id}-heading\">").Append(H(heading)).Append($"</h{level}>")
            .Append("<p class=\"govuk-body\">").Append(encodedExplanation ? explanation : H(explanation)).Append("</p>");
        if (series.Count == 0) return html.Append($"<p class=\"govuk-body\" id=\"{id}-empty\"><strong>Nothing to show.</strong> ").Append(H(whyEmpty)).Append("</p>").ToString();
        return html.Append(Table(id, caption, unit, weeks, series, chart: true)).ToString();
    }

    /// <summary>
    /// A table of weeks (rows) by series (columns). Each cell carries the report's number in <c>data-value</c> (empty
    /// for no value) for the chart; <c>data-chart</c> marks a table dashboard.js draws.
    /// </summary>
    private static string Table(string id, string caption, Unit unit, IReadOnlyList<string> weeks, IReadOnlyList<Series> series, bool chart)
    {
        var html = new StringBuilder();
        if (chart)
            html.Append($"<div class=\"app-chart\" data-chart-for=\"{id}\" hidden></div>");
        html.Append($"<div class=\"app-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}-caption\">")
            .Append($"<table class=\"govuk-table\" id=\"{id}\" data-unit=\"{unit.ToString().ToLowerInvariant()}\"").Append(chart ? " data-chart=\"line\"" : "").Append('>')
            .Append($"<caption class=\"govuk-table__caption govuk-table__caption--s\" id=\"{id}-caption\">").Append(H(caption)).Append("</caption>")
            .Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Week starting</th>");
        foreach (var s in series)
            html.Append("<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\" data-series=\"").Append(H(s.Key)).Append("\">").Append(H(s.Name)).Append("</th>");
        html.Append("</tr></thead><tbody class=\"govuk-table__body\">");
        for (var w = 0; w < weeks.Count; w++)
        {
            html.Append("<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\" data-period=\"").Append(weeks[w]).Append("\">")
                .Append(H(ShortDay(weeks[w]))).Append("</th>");
            foreach (var s in series)
            {
                var value = s.Values[w];
                html.Append("<td class=\"govuk-table__cell govuk-table__cell--numeric\" data-series=\"").Append(H(s.Key)).Append("\" data-value=\"")
                    .Append(value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "").Append("\">")
                    .Append(value is { } shown ? H(Format(unit, shown)) : "–").Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        if (unit != Unit.Count && series.Any(s => s.Values.Any(v => v is null)))
            html.Append("<p class=\"govuk-body-s\">– : ").Append(unit == Unit.Rate ? "no deliveries with a due time that week." : "no incidents measured that week.").Append("</p>");
        return html.ToString();
    }

    /// <summary>The Monday of every week from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>.</summary>
    public static IReadOnlyList<string> Weeks(DateOnly from, DateOnly to)
    {
        var weeks = new List<string>();
        for (var monday = from.AddDays(-(((int)from.DayOfWeek + 6) % 7)); monday <= to; monday = monday.AddDays(7))
            weeks.Add(monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return weeks;
    }

    private static Dictionary<(string Period, string Key), ReportGroup> Index(TimelinessReport report) =>
        report.Groups.Where(g => g.Period is not null).ToDictionary(g => (g.Period!, g.Key));

    private static double? Hours(Distribution d) => d.MedianSeconds is { } s ? Math.Round(s / 3600, 2) : null;

    /// <summary>How the page shows a number: a rate as a percentage, a count whole, hours to one decimal place.</summary>
    private static string Format(Unit unit, double value) => unit switch
    {
        Unit.Rate => Percent(value),
        Unit.Hours => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => Whole(value),
    };

    public static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Whole(double count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string ShortDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
