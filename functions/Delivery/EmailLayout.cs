using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace NotifyHub.Delivery;

/// <summary>One piece of an email's body: written once, it becomes both the HTML and the plain-text part.</summary>
public abstract record EmailBlock;

/// <summary>
/// The one layout of every email the hub sends, after GOV.UK Notify's: a single 580px column of nested tables (which is
/// what Outlook lays out), a blue bar with the service name (not the GOV.UK crown: NotifyHub is not a GOV.UK service),
/// Arial 19px text in #0b0c0c, links in #1d70b8, an inset for the key line; inline styles only, no images, no external
/// CSS. The plain-text part is written from the same blocks, so the two parts always say the same things.
/// Text is plain text: it is encoded here, and a web address in a paragraph becomes a link.
/// </summary>
public static partial class EmailLayout
{
    public const string ServiceName = "NotifyHub";

    private sealed record Heading(string Text) : EmailBlock;
    private sealed record Paragraph(string Text) : EmailBlock;
    private sealed record Inset(IReadOnlyList<string> Lines) : EmailBlock;
    private sealed record Button(string Label, string Url) : EmailBlock;
    private sealed record Facts(IReadOnlyList<(string Label, string Value)> Rows) : EmailBlock;

    /// <summary>The email's one heading, first in its body.</summary>
    public static EmailBlock Title(string text) => new Heading(text);

    /// <summary>A paragraph; a web address in it becomes a link.</summary>
    public static EmailBlock Para(string text) => new Paragraph(text);

    /// <summary>The key line(s), set off in an inset with a grey bar on the left.</summary>
    public static EmailBlock KeyLines(params string[] lines) => new Inset(lines);

    /// <summary>The one thing to do: a button-like link, and in the plain-text part the label with the address under it.</summary>
    public static EmailBlock Action(string label, string url) => new Button(label, url);

    /// <summary>Labelled figures, as a small table with the labels as row headers.</summary>
    public static EmailBlock Figures(params (string Label, string Value)[] rows) => new Facts(rows);

    public static LinkEmail Build(string to, string subject, params EmailBlock[] blocks) =>
        new(to, subject, Text(blocks), Html(subject, blocks));

    private const string Font = "font-family: Arial, Helvetica, sans-serif;";
    // Long ids and web addresses break anywhere rather than widen the column: a phone at 320px must not scroll sideways.
    private const string BodyText = Font + " font-size: 19px; line-height: 25px; color: #0b0c0c; word-break: break-word; overflow-wrap: anywhere;";
    private const string LinkStyle = "color: #1d70b8; text-decoration: underline;";

    private static string Text(IEnumerable<EmailBlock> blocks)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: text.Append(h.Text).Append('\n').Append('-', h.Text.Length).Append('\n'); break;
                case Paragraph p: text.Append(p.Text).Append('\n'); break;
                case Inset i: foreach (var line in i.Lines) text.Append(line).Append('\n'); break;
                case Button b: text.Append(b.Label).Append(":\n").Append(b.Url).Append('\n'); break;
                case Facts f: foreach (var (label, value) in f.Rows) text.Append(label).Append(": ").Append(value).Append('\n'); break;
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static string Html(string subject, IEnumerable<EmailBlock> blocks)
    {
        var h = HtmlEncoder.Default;
        var body = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading heading:
                    body.Append($"<h1 style=\"margin: 0 0 30px 0; padding: 0; {Font} font-size: 32px; line-height: 35px; font-weight: bold; color: #0b0c0c;\">")
                        .Append(h.Encode(heading.Text)).Append("</h1>");
                    break;
                case Paragraph p:
                    body.Append($"<p style=\"margin: 0 0 20px 0; {BodyText}\">").Append(Linked(p.Text)).Append("</p>");
                    break;
                case Inset i:
                    body.Append($"<blockquote style=\"margin: 0 0 20px 0; border-left: 10px solid #b1b4b6; padding: 15px 0 15px 15px; {BodyText}\">")
                        .AppendJoin("<br>", i.Lines.Select(Linked)).Append("</blockquote>");
                    break;
                case Button b:
                    // A link drawn as GOV.UK's green button: a table cell with a background, which Outlook keeps.
                    body.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse: collapse; margin: 0 0 20px 0;\">")
                        .Append("<tr><td bgcolor=\"#00703c\" style=\"background-color: #00703c; border-bottom: 2px solid #002d18; padding: 8px 10px;\">")
                        .Append($"<a href=\"{h.Encode(b.Url)}\" style=\"{Font} font-size: 19px; line-height: 25px; font-weight: bold; color: #ffffff; text-decoration: none; display: inline-block;\">")
                        .Append(h.Encode(b.Label)).Append("</a></td></tr></table>");
                    break;
                case Facts f:
                    body.Append("<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse: collapse; margin: 0 0 20px 0; width: 100%;\">");
                    foreach (var (label, value) in f.Rows)
                    {
                        body.Append($"<tr><th scope=\"row\" style=\"{BodyText} text-align: left; font-weight: bold; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; vertical-align: top;\">")
                            .Append(h.Encode(label)).Append($"</th><td style=\"{BodyText} padding: 10px 0; border-bottom: 1px solid #b1b4b6; vertical-align: top;\">")
                            .Append(h.Encode(value)).Append("</td></tr>");
                    }
                    body.Append("</table>");
                    break;
            }
        }

        return "<!DOCTYPE html>" +
               "<html lang=\"en\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">" +
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">" +
               $"<title>{h.Encode(subject)}</title></head>" +
               $"<body style=\"margin: 0; padding: 0; {Font} font-size: 19px; color: #0b0c0c; background-color: #ffffff;\">" +
               // The blue bar, full width, with the service name in the column.
               "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse: collapse; min-width: 100%; width: 100%;\">" +
               "<tr><td width=\"100%\" bgcolor=\"#1d70b8\" style=\"background-color: #1d70b8; padding: 15px 10px;\">" +
               "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" align=\"center\" style=\"border-collapse: collapse; max-width: 580px;\">" +
               $"<tr><td style=\"{Font} font-size: 28px; line-height: 1.315789474; font-weight: bold; color: #ffffff;\">{ServiceName}</td></tr>" +
               "</table></td></tr></table>" +
               // The body: one column, at most 580px, 10px gutters.
               "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" align=\"center\" style=\"border-collapse: collapse; max-width: 580px; width: 100%;\">" +
               "<tr><td height=\"30\" colspan=\"3\"></td></tr>" +
               "<tr><td width=\"10\"></td>" +
               $"<td style=\"{BodyText} max-width: 560px;\">{body}</td>" +
               "<td width=\"10\"></td></tr>" +
               "<tr><td height=\"30\" colspan=\"3\"></td></tr>" +
               "</table></body></html>";
    }

    /// <summary>Plain text encoded for HTML, with each web address in it as a link (whose text is the address).</summary>
    private static string Linked(string text)
    {
        var h = HtmlEncoder.Default;
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in WebAddress().Matches(text))
        {
            html.Append(h.Encode(text[at..m.Index]))
                .Append($"<a href=\"{h.Encode(m.Value)}\" style=\"{LinkStyle}\">").Append(h.Encode(m.Value)).Append("</a>");
            at = m.Index + m.Length;
        }
        return html.Append(h.Encode(text[at..])).ToString();
    }

    [GeneratedRegex(@"https?://[^\s()<>]+")] private static partial Regex WebAddress();
}
