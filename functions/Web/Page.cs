using System.Text;
using System.Text.Encodings.Web;

namespace NotifyHub.Web;

/// <summary>
/// Every page the hub serves, in the GOV.UK Design System's page template: the skip link, the service navigation
/// ("NotifyHub", without the GOV.UK crown: this is not a GOV.UK service), the main column and the footer. The pages
/// work with JavaScript off; the one script (govuk-frontend's, <c>/assets/init.js</c>) only improves them. Every value
/// a page shows goes through <see cref="H"/>.
/// </summary>
public static class Page
{
    /// <summary>Only the hub's own stylesheet, scripts and images; forms post back to the hub; never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>HTML-encodes a value for text or a quoted attribute.</summary>
    public static string H(string? value) => Encoder.Encode(value ?? "");

    /// <param name="title">The page's own title (the browser's title bar reads "{title} – NotifyHub").</param>
    /// <param name="main">The inside of <c>&lt;main&gt;</c>, already encoded.</param>
    /// <param name="hasErrors">The title starts "Error: " (GOV.UK's pattern, so a screen reader hears it first).</param>
    /// <param name="scripts">Extra scripts (paths under /assets/) the page needs, after govuk-frontend's.</param>
    public static string Render(string title, string main, bool hasErrors = false, IReadOnlyList<string>? scripts = null, bool wide = false)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"en\" class=\"govuk-template govuk-template--rebranded\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(hasErrors ? "Error: " : "").Append(H(title)).Append(" – NotifyHub</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">")
            .Append("<meta name=\"theme-color\" content=\"#1d70b8\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/images/favicon.ico\">")
            .Append("<link rel=\"icon\" sizes=\"any\" href=\"/assets/images/favicon.svg\" type=\"image/svg+xml\">")
            .Append("<link rel=\"stylesheet\" href=\"/assets/site.css\"></head>")
            .Append("<body class=\"govuk-template__body\">")
            .Append("<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">Skip to main content</a>")
            .Append("<section aria-label=\"Service information\" class=\"govuk-service-navigation\" data-module=\"govuk-service-navigation\">")
            .Append("<div class=\"govuk-width-container\"><div class=\"govuk-service-navigation__container\">")
            .Append("<span class=\"govuk-service-navigation__service-name\"><a href=\"/\" class=\"govuk-service-navigation__link\">NotifyHub</a></span>")
            .Append("</div></div></section>")
            .Append("<div class=\"govuk-width-container").Append(wide ? " app-wide" : "").Append("\"><main class=\"govuk-main-wrapper\" id=\"main-content\">")
            .Append(main)
            .Append("</main></div>")
            .Append("<footer class=\"govuk-footer\"><div class=\"govuk-width-container\"><div class=\"govuk-footer__meta\">")
            .Append("<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">")
            .Append("<p class=\"govuk-footer__meta-custom\">NotifyHub shares domestic abuse incidents between police and the agencies that protect children. ")
            .Append("Every notification is confidential: do not forward it, and keep it only as your organisation's policy allows.</p>")
            .Append("</div></div></div></footer>")
            .Append("<script type=\"module\" src=\"/assets/init.js\"></script>");
        foreach (var script in scripts ?? []) html.Append("<script src=\"/assets/").Append(H(script)).Append("\"></script>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>
    /// A page as an answer, with the headers every page carries: the policy above, kept out of caches when it holds
    /// anything of a notification (<paramref name="private"/>), and never sent on in a Referer header.
    /// </summary>
    public static IResult Result(HttpContext context, string html, int status = StatusCodes.Status200OK, bool @private = true)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = @private ? "no-store" : "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A GOV.UK summary list: one row per (label, value); a null or empty value is left out, and with no rows left, nothing.</summary>
    public static string SummaryList(IEnumerable<(string Label, string? Value)> rows)
    {
        if (!rows.Any(r => !string.IsNullOrEmpty(r.Value))) return "";
        var html = new StringBuilder("<dl class=\"govuk-summary-list\">");
        foreach (var (label, value) in rows)
        {
            if (string.IsNullOrEmpty(value)) continue;
            html.Append("<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">").Append(H(label))
                .Append("</dt><dd class=\"govuk-summary-list__value\">").Append(H(value)).Append("</dd></div>");
        }
        return html.Append("</dl>").ToString();
    }

    /// <summary>The GOV.UK error summary: each error links to its field (<c>#{field}</c>).</summary>
    public static string ErrorSummary(IEnumerable<(string FieldId, string Message)> errors)
    {
        var html = new StringBuilder("<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">")
            .Append("<h2 class=\"govuk-error-summary__title\">There is a problem</h2><div class=\"govuk-error-summary__body\"><ul class=\"govuk-list govuk-error-summary__list\">");
        foreach (var (field, message) in errors) html.Append("<li><a href=\"#").Append(H(field)).Append("\">").Append(H(message)).Append("</a></li>");
        return html.Append("</ul></div></div></div>").ToString();
    }
}
