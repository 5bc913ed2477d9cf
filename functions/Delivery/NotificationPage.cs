using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Delivery;

/// <summary>
/// The small page an email link opens: the recipient's projection of the incident and an <em>Acknowledge</em> form
/// (name and role). Plain HTML, no script, every value encoded; served with headers that keep it out of caches,
/// frames and Referer headers (the link is the credential).
/// </summary>
public static class NotificationPage
{
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Cache-Control"] = "no-store",
        ["Referrer-Policy"] = "no-referrer",
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
        ["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    };

    /// <summary>
    /// What a GET of an email link shows: who the notification is for and its reference (no more than the email said), and
    /// a button that opens it — a POST, so that a mail gateway fetching the link to scan it opens nothing.
    /// </summary>
    public static string Landing(Domain.Delivery.DeliveryRecord delivery)
    {
        var h = HtmlEncoder.Default;
        var html = Start();
        html.Append("<h1>Safeguarding notification</h1>");
        html.Append("<p>A notification for <strong>").Append(h.Encode(delivery.RecipientName)).Append("</strong> — police reference <strong>")
            .Append(h.Encode($"{delivery.ForceCode} {delivery.IncidentReference}".Trim())).Append("</strong>.</p>");
        if (delivery.DueAt is { } due) html.Append("<p>Please read and acknowledge it by ").Append(h.Encode(LinkEmails.Local(due))).Append(".</p>");
        html.Append("<form method=\"post\"><input type=\"hidden\" name=\"action\" value=\"open\"><p><button type=\"submit\" id=\"open\">Open the notification</button></p></form>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static StringBuilder Start() => new StringBuilder()
        .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .Append("<title>NotifyHub notification</title><style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.4}")
        .Append("dt{font-weight:600}dd{margin:0 0 .5rem 0}section{border-top:1px solid #ccc;margin-top:1rem}.error{color:#b00020}label{display:block;margin-top:.5rem}</style></head><body>");

    public static string Render(NotificationView view, FieldErrors? errors = null, string? name = null, string? role = null)
    {
        var h = HtmlEncoder.Default;
        var html = Start();
        html.Append("<h1>Safeguarding notification</h1>");
        html.Append("<p>For <strong>").Append(h.Encode(view.RecipientId)).Append("</strong> (").Append(h.Encode(view.RecipientType)).Append(") — police reference <strong>")
            .Append(h.Encode($"{view.ForceCode} {view.IncidentReference}".Trim())).Append("</strong></p>");
        html.Append("<p id=\"status\">Status: <strong>").Append(h.Encode(view.Status)).Append("</strong></p>");
        if (view.Content is { } content) AppendObject(html, content, h);
        else html.Append("<p>The details of this notification have been removed under the hub's retention policy.</p>");

        if (view.Acknowledged is { } ack)
        {
            html.Append("<section id=\"acknowledged\"><h2>Acknowledged</h2><p>Acknowledged by ").Append(h.Encode(ack.Name)).Append(" (").Append(h.Encode(ack.Role))
                .Append(") on ").Append(h.Encode(LinkEmails.Local(ack.At))).Append(".</p></section>");
        }
        else
        {
            html.Append("<section><h2>Acknowledge</h2><p>Acknowledge that you have read this notification and will act on it.</p>");
            if (errors is { Any: true })
            {
                html.Append("<ul class=\"error\" id=\"errors\">");
                foreach (var (field, reasons) in errors.ToDictionary()) html.Append("<li>").Append(h.Encode($"{field} {string.Join("; ", reasons)}")).Append("</li>");
                html.Append("</ul>");
            }
            html.Append("<form method=\"post\"><label for=\"name\">Your name</label><input id=\"name\" name=\"name\" maxlength=\"100\" required value=\"")
                .Append(h.Encode(name ?? "")).Append("\"><label for=\"role\">Your role</label><input id=\"role\" name=\"role\" maxlength=\"100\" required value=\"")
                .Append(h.Encode(role ?? "")).Append("\"><p><button type=\"submit\">Acknowledge</button></p></form></section>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendObject(StringBuilder html, JsonElement element, HtmlEncoder h)
    {
        html.Append("<dl>");
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
            {
                var i = 0;
                foreach (var item in property.Value.EnumerateArray())
                {
                    html.Append("<section><h2>").Append(h.Encode($"{Label(property.Name)} {++i}")).Append("</h2>");
                    AppendObject(html, item, h);
                    html.Append("</section>");
                }
                continue;
            }
            html.Append("<dt>").Append(h.Encode(Label(property.Name))).Append("</dt><dd>");
            if (property.Value.ValueKind == JsonValueKind.Object) AppendObject(html, property.Value, h);
            else html.Append(h.Encode(Text(property.Value)));
            html.Append("</dd>");
        }
        html.Append("</dl>");
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };

    /// <summary><c>priorIncidentsLast12Months</c> → "Prior incidents last 12 months".</summary>
    private static string Label(string camel)
    {
        var words = new StringBuilder();
        for (var i = 0; i < camel.Length; i++)
        {
            var c = camel[i];
            if (i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(camel[i - 1])))) words.Append(' ');
            words.Append(i == 0 ? char.ToUpper(c, CultureInfo.InvariantCulture) : char.ToLower(c, CultureInfo.InvariantCulture));
        }
        return words.ToString();
    }
}
