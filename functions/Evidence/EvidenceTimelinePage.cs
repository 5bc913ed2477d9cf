using System.Text;
using NotifyHub.Domain;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using static NotifyHub.Web.Page;

namespace NotifyHub.Evidence;

/// <summary>
/// An incident's evidence as a page for people, to read and to print (<c>OpenEvidenceTimeline</c>): whether the record
/// verified, every event in time order in words, who was told what and when, and how to check the evidence without the
/// hub. Organisations, times, codes and the roles acknowledgers gave; never a child, an adult or what happened. A pure
/// function of the view.
/// </summary>
public static class EvidenceTimelinePage
{
    public sealed record View(string Force, string Reference, VerifyReport Report, DateTimeOffset ExportedAt, IReadOnlyList<AnchorCover> Anchors,
        IReadOnlyList<TimelineEntry> Entries, IReadOnlyList<ToldEntry> Told, DateTimeOffset LinkExpiresAt, DateTimeOffset Now);

    public static string Title(View view) => $"Evidence for incident {view.Force} {view.Reference}";

    public static string Render(View view) => NotifyHub.Web.Page.Render(Title(view), Body(view), wide: true);

    public static string Body(View view)
    {
        var html = new StringBuilder(16384);
        html.Append("<h1 class=\"govuk-heading-xl app-break\">").Append(H(Title(view))).Append("</h1>")
            .Append("<p class=\"govuk-body-l\">Who was told what and when, who acknowledged, and what was late: the hub's record of the incident, ")
            .Append("checked as this page was made.</p>");
        Verdict(html, view);
        html.Append(SummaryList(
        [
            ("Police reference", $"{view.Force} {view.Reference}"),
            ("Record checked", Checked(view.Report)),
            ("Events", view.Entries.Count == 0 ? "None yet"
                : $"{view.Entries.Count} {(view.Entries.Count == 1 ? "event" : "events")}, the first {UkTime.Describe(view.Entries[0].At)}, the last {UkTime.Describe(view.Entries[^1].At)}"),
            ("Signed anchors holding it", view.Anchors.Count == 0 ? "None yet: the hub's next daily anchor will hold these events"
                : string.Join("; ", view.Anchors.Select(a => $"Anchor {a.Number}, signed {UkTime.Describe(a.SignedAt)}, holds events 1 to {a.Version}"))),
            ("Exported", UkTime.Describe(view.ExportedAt)),
        ]));
        Timeline(html, view);
        Told(html, view);
        html.Append("<h2 class=\"govuk-heading-m\" id=\"check\">Checking this evidence yourself</h2>")
            .Append("<p class=\"govuk-body\">The hub checked this record with its own key as it made the page. To check it without trusting the hub, ")
            .Append("ask whoever exported the evidence for the export itself (the JSON file from <code class=\"app-break\">GET /api/incidents/")
            .Append(H(view.Force)).Append('/').Append(H(view.Reference)).Append("/evidence</code>) and run ")
            .Append("<code class=\"app-break\">NotifyHub.Functions verify-evidence export.json --public-key notifyhub-evidence-key.pem</code> ")
            .Append("with the hub's published public key (<a class=\"govuk-link app-break\" href=\"/.well-known/notifyhub-evidence-key.pem\">notifyhub-evidence-key.pem</a>): ")
            .Append("it recomputes every event's hash, checks each anchor's signature and the proofs that tie the events to the anchors, and needs no access to the hub. ")
            .Append("<a class=\"govuk-link\" href=\"/docs/evidence.md\">How to check evidence</a> explains each step.</p>")
            .Append("<p class=\"govuk-body\">This page holds no child's or adult's details: only organisations, times and the roles people gave when they acknowledged. ")
            .Append("The link that opened it works until ").Append(H(UkTime.Describe(view.LinkExpiresAt)))
            .Append(". Anyone with the link sees this page: do not forward it.</p>");
        return html.ToString();
    }

    private static void Verdict(StringBuilder html, View view)
    {
        var (tag, colour, words) = view.Report.Outcome switch
        {
            VerifyOutcome.Verified => ("Chain verified", "green", "Every event below is on the incident's hash chain, and anchors the hub signed hold all of them."),
            VerifyOutcome.NotYetAnchored => ("Not yet anchored", "yellow",
                "Every event below is on the incident's hash chain, but the newest are not yet held by a signed anchor: the next daily anchor will hold them."),
            _ => ("Verification failed", "red", "The record does not verify: " + view.Report.Failure),
        };
        html.Append("<p class=\"govuk-body\" id=\"verdict\"><strong class=\"govuk-tag govuk-tag--").Append(colour).Append("\">").Append(H(tag)).Append("</strong> ")
            .Append(H(words)).Append("</p>");
    }

    private static string Checked(VerifyReport report) => report.Outcome switch
    {
        VerifyOutcome.Verified => "Verified: every event is on the chain and held by a signed anchor",
        VerifyOutcome.NotYetAnchored => "Not yet anchored: " + report.Failure,
        _ => "Failed: " + report.Failure,
    };

    private static void Timeline(StringBuilder html, View view)
    {
        html.Append("<h2 class=\"govuk-heading-l\">Timeline</h2>");
        if (view.Entries.Count == 0)
        {
            html.Append("<p class=\"govuk-body\">Nothing is on the incident's record yet.</p>");
            return;
        }
        html.Append("<div class=\"app-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"timeline-caption\">")
            .Append("<table class=\"govuk-table\" id=\"timeline\"><caption class=\"govuk-table__caption govuk-table__caption--m\" id=\"timeline-caption\">")
            .Append("Every event on the incident's record, in time order (UK time)</caption>")
            .Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">When</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Who</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">What</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Event and hash</th>")
            .Append("</tr></thead><tbody class=\"govuk-table__body\">");
        foreach (var entry in view.Entries)
        {
            html.Append("<tr class=\"govuk-table__row\" data-event=\"").Append(entry.Version).Append("\">")
                .Append("<td class=\"govuk-table__cell\"><time datetime=\"").Append(H(LedgerEvent.Canonical(entry.At))).Append("\">")
                .Append(H(UkTime.Describe(entry.At))).Append("</time></td>")
                .Append("<td class=\"govuk-table__cell\">").Append(H(entry.Who)).Append("</td>")
                .Append("<td class=\"govuk-table__cell\">").Append(H(entry.What));
            if (view.Report.FailedEvent == entry.Version) html.Append(" <strong class=\"govuk-tag govuk-tag--red\">Does not verify</strong>");
            html.Append("</td><td class=\"govuk-table__cell app-break\">").Append(entry.Version)
                .Append("<br><code>").Append(H(entry.Hash.Length > 16 ? entry.Hash[..16] + "…" : entry.Hash)).Append("</code></td></tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private static void Told(StringBuilder html, View view)
    {
        html.Append("<h2 class=\"govuk-heading-l\">Who was told, and when</h2>");
        if (view.Told.Count == 0)
        {
            html.Append("<p class=\"govuk-body\">The incident has not been shared with anyone.</p>");
            return;
        }
        html.Append("<div class=\"app-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"told-caption\">")
            .Append("<table class=\"govuk-table\" id=\"told\"><caption class=\"govuk-table__caption govuk-table__caption--m\" id=\"told-caption\">")
            .Append("Each notification sent, in the order shared (UK time)</caption>")
            .Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Recipient</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Told</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Acknowledged</th>")
            .Append("<th scope=\"col\" class=\"govuk-table__header\">Late or on time</th>")
            .Append("</tr></thead><tbody class=\"govuk-table__body\">");
        foreach (var told in view.Told)
        {
            var delivered = told switch
            {
                { DeliveredAt: { } at } => $"{UkTime.Describe(at)}, {Lower(told.DeliveredHow)}",
                { FailedAt: { } at } => $"Could not be delivered ({UkTime.Describe(at)}); shared {UkTime.Describe(told.SharedAt)}",
                { AvailableAt: { } at } => $"Shared {UkTime.Describe(told.SharedAt)}; in its NotifyHub inbox since {UkTime.Describe(at)}, not yet fetched",
                _ => $"Shared {UkTime.Describe(told.SharedAt)}; not yet delivered",
            };
            var acknowledged = told.AcknowledgedAt is { } ack ? $"{UkTime.Describe(ack)}, {told.AcknowledgedHow}" : "Not acknowledged";
            html.Append("<tr class=\"govuk-table__row\" data-recipient=\"").Append(H(told.Subject)).Append("\">")
                .Append("<th scope=\"row\" class=\"govuk-table__header\">").Append(H(told.Who))
                .Append("<br><span class=\"govuk-body-s\">").Append(H(told.What)).Append("</span></th>")
                .Append("<td class=\"govuk-table__cell\">").Append(H(delivered)).Append("</td>")
                .Append("<td class=\"govuk-table__cell\">").Append(H(acknowledged)).Append("</td>")
                .Append("<td class=\"govuk-table__cell\">")
                .Append(told.IsLate ? "<strong>" + H(told.Timeliness(view.Now)) + "</strong>" : H(told.Timeliness(view.Now))).Append("</td></tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private static string Lower(string? words) => string.IsNullOrEmpty(words) ? "delivered" : char.ToLowerInvariant(words[0]) + words[1..];
}
