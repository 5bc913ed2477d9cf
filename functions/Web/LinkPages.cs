using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Web;

/// <summary>
/// What a link that does not open answers — forged, expired, revoked or its organisation gone all look the same, a 404:
/// to a browser (<c>Accept: text/html</c>) a page saying so and what to do instead; to anything else problem+json with
/// the same advice. The one place this is decided, for the middleware (a token that does not verify) and for the
/// functions (a verified token whose grant no longer holds).
/// </summary>
public static class LinkPages
{
    /// <summary>The advice for a dashboard or late-list link (a notification link's is <see cref="ApiKeyMiddleware.LinkNotValid"/>).</summary>
    public const string DashboardLinkNotValid =
        "This link is not valid: it may have expired or been revoked. Open the link in your latest NotifyHub daily digest email, which brings a new one each morning, or ask the hub's administrators.";

    /// <summary>The advice for an evidence timeline link, which expires within hours and is replaced by every export.</summary>
    public const string EvidenceLinkNotValid =
        "This link is not valid: evidence links work for a short time only. Ask whoever exported the evidence for a new export: each one brings a new link.";

    public static IResult NotValid(HttpContext context, LinkKind kind)
    {
        if (!WantsPage(context.Request))
            return Problems.NotFound(kind switch
            {
                LinkKind.Dashboard => DashboardLinkNotValid,
                LinkKind.Evidence => EvidenceLinkNotValid,
                _ => ApiKeyMiddleware.LinkNotValid,
            });
        return Page.Result(context, Page.Render("This link is not valid", Body(kind)), StatusCodes.Status404NotFound);
    }

    /// <summary>Whether the caller asked for HTML (a browser following a link), rather than JSON or anything.</summary>
    public static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Body(LinkKind kind)
    {
        var what = kind switch
        {
            LinkKind.Dashboard =>
              "<p class=\"govuk-body\">Dashboard links work for a few days, and stop at once if your partnership's links are revoked.</p>" +
              "<h2 class=\"govuk-heading-m\">What you can do</h2><ul class=\"govuk-list govuk-list--bullet\">" +
              "<li>Open the link in your latest NotifyHub daily digest email: each morning's digest brings a new one.</li>" +
              "<li>If your partnership uses the NotifyHub API, ask for a new link with your partnership's key.</li>" +
              "<li>Otherwise, ask the hub's administrators for help.</li></ul>",
            LinkKind.Evidence =>
              "<p class=\"govuk-body\">Links to an incident's evidence work for a short time only — an hour, unless the hub is set otherwise.</p>" +
              "<h2 class=\"govuk-heading-m\">What you can do</h2><ul class=\"govuk-list govuk-list--bullet\">" +
              "<li>Ask whoever exported the evidence to export it again: each export brings a new link.</li>" +
              "<li>If you hold the evidence export itself (the JSON file), it can be checked without the hub: see <a class=\"govuk-link\" href=\"/docs/evidence.md\">how to check evidence</a>.</li>" +
              "<li>Otherwise, ask the hub's administrators for help.</li></ul>",
            _ =>
              "<p class=\"govuk-body\">Notification links work for a few days, and stop at once if the notification's links are revoked.</p>" +
              "<h2 class=\"govuk-heading-m\">What you can do</h2><ul class=\"govuk-list govuk-list--bullet\">" +
              "<li>If you were sent a newer email about this notification, open its link.</li>" +
              "<li>Your organisation can still read and acknowledge the notification in its NotifyHub inbox.</li>" +
              "<li>Otherwise, ask the hub's administrators for help.</li></ul>",
        };
        return "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">" +
               "<h1 class=\"govuk-heading-xl\">This link is not valid</h1>" +
               "<p class=\"govuk-body\">It may have expired or been revoked.</p>" +
               what + "</div></div>";
    }
}
