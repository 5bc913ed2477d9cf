using NotifyHub.Delivery;
using NotifyHub.Domain;
using NotifyHub.Domain.Timeliness;
using static NotifyHub.Delivery.EmailLayout;

namespace NotifyHub.Timeliness;

/// <summary>Yesterday's counts for one partnership lead: shares that fell due yesterday and were late, and shares missing reported yesterday.</summary>
public sealed record DigestCounts(DateOnly Day, int Due, int Late, int Unrouted, int Failed, int MissingAtSource)
{
    public int Missing => Unrouted + Failed + MissingAtSource;

    public static DigestCounts Of(IEnumerable<ShareFact> facts, DateOnly day, DateTimeOffset now)
    {
        var list = facts.ToList();
        var dueYesterday = list.Where(f => f.IsDelivery && f.DueAt is { } due && UkTime.DateOf(due) == day).ToList();
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
        var day = UkTime.DescribeDate(c.Day);
        var scope = string.Join(", ", las);
        return EmailLayout.Build(to, $"NotifyHub daily digest for {day}: {c.Late} late, {c.Missing} missing (LA {scope})",
            Title($"Daily digest for {day}"),
            Para($"{leadName}, local authorities {scope}."),
            Figures(
                ("Shares due", $"{c.Due}"),
                ("Late (not acknowledged by their due time)", $"{c.Late}"),
                ("Missing", $"{c.Missing} (unrouted {c.Unrouted}, failed {c.Failed}, missing at source {c.MissingAtSource})")),
            Action("Open the dashboard", dashboardUrl),
            Para($"The link opens your partnership's dashboard. It expires on {UkTime.Describe(linkExpires)}."),
            Para("Do not forward this email."));
    }
}
