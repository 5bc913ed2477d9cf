using System.Text;
using NotifyHub.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Functions;
using static NotifyHub.Web.Page;

namespace NotifyHub.Reports;

/// <summary>
/// The partnership lead's late list: every share in its LAs late and not yet acknowledged, oldest due first — the police
/// reference, the recipient organisation, the LA, when it was due and when it was marked late (UK time), and how late it
/// is now. What <c>GET /api/reports/late</c> answers, as a page; never a child. A pure function of the list.
/// </summary>
public static class LateSharesPage
{
    public sealed record View(string Token, string LeadName, IReadOnlyList<string> LaCodes, IReadOnlyList<ListLateShares.Item> Items, DateTimeOffset Now);

    public static string Title(IReadOnlyList<string> laCodes) =>
        "Late shares" + (laCodes.Count == 0 ? "" : " for " + LocalAuthorities.Names(laCodes));

    public static string Render(View view) => NotifyHub.Web.Page.Render(Title(view.LaCodes), Body(view), wide: true);

    public static string Body(View view)
    {
        var html = new StringBuilder(8192);
        html.Append("<span class=\"govuk-caption-l\">").Append(H(view.LeadName)).Append("</span>")
            .Append("<h1 class=\"govuk-heading-xl\">").Append(H(Title(view.LaCodes))).Append("</h1>")
            .Append("<p class=\"govuk-body-l\">Shares not acknowledged by their due time and still not acknowledged, as at ")
            .Append(H(NotifyHub.Domain.UkTime.Describe(view.Now))).Append(". A share leaves this list once the recipient acknowledges it.</p>");
        if (view.Items.Count == 0)
        {
            html.Append("<p class=\"govuk-body\" id=\"none-late\"><strong class=\"govuk-tag govuk-tag--green\">None late</strong> ")
                .Append("Every share in these local authorities that has fallen due has been acknowledged.</p>");
        }
        else
        {
            html.Append("<p class=\"govuk-body\"><strong class=\"govuk-tag govuk-tag--red\">").Append(view.Items.Count).Append(" late</strong> ")
                .Append("Each recipient has been sent a reminder. Follow up with the organisation, quoting the police reference.</p>")
                .Append("<div class=\"app-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"late-caption\">")
                .Append("<table class=\"govuk-table\" id=\"late\"><caption class=\"govuk-table__caption govuk-table__caption--m\" id=\"late-caption\">")
                .Append("Late and not yet acknowledged, oldest due first</caption>")
                .Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Police reference</th>")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Recipient</th>")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Local authority</th>")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Due</th>")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Marked late</th>")
                .Append("<th scope=\"col\" class=\"govuk-table__header\">Late by</th>")
                .Append("</tr></thead><tbody class=\"govuk-table__body\">");
            foreach (var item in view.Items)
            {
                html.Append("<tr class=\"govuk-table__row\" data-notification=\"").Append(H(item.NotificationId)).Append("\">")
                    .Append("<th scope=\"row\" class=\"govuk-table__header app-break\">").Append(H(Reference(item))).Append("</th>")
                    .Append("<td class=\"govuk-table__cell\">").Append(H(item.RecipientName))
                    .Append("<br><span class=\"govuk-body-s\">").Append(H(ReportLabels.RecipientType(item.RecipientType))).Append("</span></td>")
                    .Append("<td class=\"govuk-table__cell\">").Append(H(LocalAuthorities.Name(item.La))).Append("</td>")
                    .Append("<td class=\"govuk-table__cell\">").Append(H(NotifyHub.Domain.UkTime.Describe(item.DueAt))).Append("</td>")
                    .Append("<td class=\"govuk-table__cell\">").Append(H(NotifyHub.Domain.UkTime.Describe(item.LateAt))).Append("</td>")
                    .Append("<td class=\"govuk-table__cell\">").Append(H(Duration(TimeSpan.FromSeconds(item.LateBySeconds)))).Append("</td>")
                    .Append("</tr>");
            }
            html.Append("</tbody></table></div>");
        }
        html.Append("<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"../").Append(H(view.Token)).Append("\">Back to the timeliness dashboard</a></p>")
            .Append("<p class=\"govuk-body\">This page is opened by a link that works for a few days. Do not forward it: anyone with the link sees this list.</p>");
        return html.ToString();
    }

    /// <summary>The force and its reference, as the emails quote it ("DEMO DEMO-2026-000123"), or the hub's incident id.</summary>
    public static string Reference(ListLateShares.Item item) =>
        item.IncidentReference is { } r ? $"{item.ForceCode} {r}" : item.IncidentId;

    /// <summary>How late, in words: "3 days 4 hours", "5 hours 10 minutes", "12 minutes".</summary>
    public static string Duration(TimeSpan late)
    {
        static string Of(int n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")}";
        if (late.TotalDays >= 1) return Of((int)late.TotalDays, "day") + (late.Hours > 0 ? " " + Of(late.Hours, "hour") : "");
        if (late.TotalHours >= 1) return Of((int)late.TotalHours, "hour") + (late.Minutes > 0 ? " " + Of(late.Minutes, "minute") : "");
        return Of(Math.Max(0, (int)late.TotalMinutes), "minute");
    }
}
