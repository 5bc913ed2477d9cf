using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// An email as it arrived at maildev, read from its MIME source: its plain-text and HTML parts, and what the HTML says
/// to a reader (its visible text and its links). The assertions every email of the hub must pass live here.
/// </summary>
public sealed partial record SentEmail(string Subject, string Text, string Html, string HtmlText, IReadOnlyList<string> HtmlLinks, Uri HtmlAddress)
{
    /// <summary>
    /// Reads the email's source and checks that it is multipart/alternative with exactly one text/plain part, then one
    /// text/html part (the order tells a mail client to prefer the HTML).
    /// </summary>
    public static async Task<SentEmail> ReadAsync(Maildev mail, JsonElement email)
    {
        var message = await mail.SourceAsync(email);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        var text = ((TextPart)alternative[0]).Text;
        var html = ((TextPart)alternative[1]).Text;
        var visible = WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(Head().Replace(html, " "), " "), " ")).Trim();
        var links = Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        return new SentEmail(message.Subject ?? "", text, html, visible, links, mail.HtmlAddress(email));
    }

    /// <summary>Everything a reader of either part could see.</summary>
    public string Everything => Subject + "\n" + Text + "\n" + Html + "\n" + HtmlText;

    /// <summary>
    /// The two parts say the same things: the same links, and every line of the plain text (a label with its value, or a
    /// button's label) in the HTML's visible text; and each of <paramref name="phrases"/> in both.
    /// </summary>
    public void AssertBothPartsSay(params string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            Assert.Contains(phrase, Text);
            Assert.Contains(phrase, HtmlText);
        }
        var textLinks = WebAddress().Matches(Text).Select(m => m.Value).ToHashSet();
        Assert.Equal(textLinks.Order(), HtmlLinks.ToHashSet().Order());
        foreach (var raw in Text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.All(c => c == '-') || WebAddress().IsMatch(line) && WebAddress().Match(line).Value == line) continue;
            var said = line.TrimEnd(':');
            var pieces = said.Split(": ", 2);
            Assert.True(HtmlText.Contains(said, StringComparison.Ordinal) || pieces.Length == 2 && HtmlText.Contains($"{pieces[0]} {pieces[1]}", StringComparison.Ordinal),
                $"the HTML part does not say \"{line}\":\n{HtmlText}");
        }
    }

    /// <summary>The HTML is laid out as GOV.UK Notify's emails are: see functions/Delivery/EmailLayout.cs.</summary>
    public void AssertLaidOutLikeNotify()
    {
        Assert.StartsWith("<!DOCTYPE html>", Html);
        Assert.Contains("<html lang=\"en\">", Html);
        Assert.Matches(@"<title>[^<]+</title>", Html);
        Assert.Equal(WebUtility.HtmlDecode(Regex.Match(Html, "<title>([^<]+)</title>").Groups[1].Value), Subject);
        Assert.Contains("bgcolor=\"#1d70b8\"", Html); // the blue bar
        Assert.StartsWith("NotifyHub ", HtmlText); // with the service name, first
        Assert.Contains("font-size: 19px", Html);
        Assert.Contains("color: #0b0c0c", Html);
        foreach (var forbidden in new[] { "<img", "<link", "<style", "<script", "class=", "url(" })
            Assert.DoesNotContain(forbidden, Html, StringComparison.OrdinalIgnoreCase);
        // Layout tables say they are layout; only a table of figures (with row headers) is a table to read.
        foreach (Match table in Regex.Matches(Html, "<table[^>]*>"))
            Assert.True(table.Value.Contains("role=\"presentation\"") || Html[(table.Index + table.Length)..].StartsWith("<tr><th scope=\"row\"", StringComparison.Ordinal),
                $"a layout table without role=\"presentation\": {table.Value}");
        foreach (Match link in Regex.Matches(Html, "<a [^>]*>"))
            Assert.Matches("color: #(1d70b8|ffffff)", link.Value);
    }

    /// <summary>
    /// Opens each email's HTML part in headless Chromium (as maildev serves it) at desktop width and at 320px, and runs axe
    /// (WCAG 2.2 AA) on it: no violation, no sideways scrolling, the page's title is the subject, and the page fetches
    /// nothing of its own (no image, no stylesheet; the browser's own favicon request, which maildev answers 404, aside).
    /// </summary>
    public static async Task AssertAccessibleInChromiumAsync(params SentEmail[] emails)
    {
        var steps = new List<object>();
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            steps.Add(new { viewport = new { width = 1280, height = 900 } });
            steps.Add(new { @goto = email.HtmlAddress.ToString() });
            steps.Add(new { check = $"email {i}" });
            steps.Add(new { viewport = new { width = 320, height = 640 } });
            steps.Add(new { check = $"email {i} at 320px" });
        }
        var journey = await BrowserPages.WalkAsync(steps);
        foreach (var (name, check) in journey.Checks)
        {
            Assert.True(check.Violations.Count == 0, $"{name} ({check.Url}) has axe violations:\n{check.Describe()}");
            Assert.False(check.ScrollsSideways, $"{name} ({check.Url}) scrolls sideways");
        }
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            Assert.Equal(200, journey.Checks[$"email {i}"].Status);
            Assert.Equal(email.Subject, journey.Checks[$"email {i}"].Title);
        }
        Assert.Equal(emails.Select(e => e.HtmlAddress.ToString()).ToHashSet().Order(),
            journey.Requests.Where(r => !r.EndsWith("/favicon.ico", StringComparison.Ordinal)).ToHashSet().Order());
    }

    [GeneratedRegex(@"<head>.*?</head>", RegexOptions.Singleline)] private static partial Regex Head();
    [GeneratedRegex(@"<[^>]+>")] private static partial Regex Tags();
    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
    [GeneratedRegex("href=\"([^\"]+)\"")] private static partial Regex Href();
    [GeneratedRegex(@"https?://[^\s()<>]+")] private static partial Regex WebAddress();
}
