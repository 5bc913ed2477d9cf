using System.Text.Encodings.Web;
using NotifyHub.Delivery;
using NotifyHub.Domain.Timeliness;

namespace NotifyHub.Timeliness;

/// <summary>Yesterday's counts for one partnership lead: shares that fell due yesterday and were late, and shares missing reported yesterday.</summary>
public sealed record DigestCounts(DateOnly Day, int Due, int Late, int Unrouted, int Failed, int MissingAtSource)
{
    public int Missing => Unrouted + Failed + MissingAtSource;

    public static DigestCounts Of(IEnumerable<ShareFact> facts, DateOnly day, DateTimeOffset now)
    {
        var list = facts.ToList();
        var dueYesterday = list.Where(f => f.IsDelivery && f.DueAt is { } due && Domain.UkTime.DateOf(due) == day).ToList();
        var reportedYesterday = list.Where(f => f.Day == day).ToList();
        return new DigestCounts(day, dueYesterday.Count, dueYesterday.Count(f => f.IsLate(now)),
            reportedYesterday.Count(f => f.Kind == ShareKinds.Unrouted), reportedYesterday.Count(f => f.IsDelivery && f.Failed),
            reportedYesterday.Count(f => f.Kind == ShareKinds.MissingAtSource));
    }
}

/// <summary>The daily digest email: counts only, and a link to the dashboard.</summary>
public static class DigestEmails
{
    public static LinkEmail Build(string to, string leadName, IReadOnlyList<string> las, DigestCounts c, string dashboardUrl, DateTimeOffset linkExpires)
    {
        var day = c.Day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var scope = string.Join(", ", las);
        var subject = $"NotifyHub daily digest for {day}: {c.Late} late, {c.Missing} missing (LA {scope})";
        var text = $"{leadName} — local authorities {scope} — {day}\n\n" +
                   $"Shares due: {c.Due}\nLate (not acknowledged by their due time): {c.Late}\n" +
                   $"Missing: {c.Missing} (unrouted {c.Unrouted}, failed {c.Failed}, missing at source {c.MissingAtSource})\n\n" +
                   $"Dashboard (this link works until {LinkEmails.Local(linkExpires)}):\n{dashboardUrl}\n";
        var h = HtmlEncoder.Default;
        var html = $"<p><strong>{h.Encode(leadName)}</strong> — local authorities {h.Encode(scope)} — {h.Encode(day)}</p>" +
                   $"<table><tr><td>Shares due</td><td>{c.Due}</td></tr><tr><td>Late (not acknowledged by their due time)</td><td>{c.Late}</td></tr>" +
                   $"<tr><td>Missing</td><td>{c.Missing} (unrouted {c.Unrouted}, failed {c.Failed}, missing at source {c.MissingAtSource})</td></tr></table>" +
                   $"<p><a href=\"{h.Encode(dashboardUrl)}\">Open the dashboard</a> (this link works until {h.Encode(LinkEmails.Local(linkExpires))}).</p>";
        return new LinkEmail(to, subject, text, html);
    }
}
