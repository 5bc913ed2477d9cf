using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /</c> (open to anyone: it holds no data): what the hub is, what a recipient or a partnership lead who lands here
/// should do, and for integrators the API reference, the OpenAPI document and the docs.
/// </summary>
public sealed class ShowHome
{
    [Function(nameof(ShowHome))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "")] HttpRequest request) =>
        Page.Result(request.HttpContext, Page.Render("Sharing domestic abuse incidents with the agencies that protect children", Main), @private: false);

    private static readonly string Main =
        "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">" +
        "<h1 class=\"govuk-heading-xl\">NotifyHub</h1>" +
        "<p class=\"govuk-body-l\">When police attend a domestic abuse incident where children live, NotifyHub tells the agencies " +
        "that protect those children: the child's school before the next school day (Operation Encompass), health visitors, " +
        "school nurses and midwives, probation, the youth offending service and the MASH. Each sees only what it needs, and " +
        "every share is tracked until a person has acknowledged it.</p>" +
        "<h2 class=\"govuk-heading-m\">If you received a notification</h2>" +
        "<p class=\"govuk-body\">Open the link in the email NotifyHub sent you. It works for that notification only and expires; " +
        "if it no longer opens, your organisation can still read and acknowledge the notification in its NotifyHub inbox, or ask " +
        "the hub's administrators for help. Do not forward notification emails.</p>" +
        "<h2 class=\"govuk-heading-m\">If you lead a safeguarding partnership</h2>" +
        "<p class=\"govuk-body\">Your daily digest email links to your timeliness dashboard: how many shares were acknowledged " +
        "on time, week by week, and which are late or missing. Ask the hub's administrators to add you as a partnership lead.</p>" +
        "<h2 class=\"govuk-heading-m\">If you connect a system to NotifyHub</h2>" +
        "<ul class=\"govuk-list govuk-list--bullet\">" +
        "<li><a class=\"govuk-link\" href=\"/api/reference\">API reference</a>: every endpoint and the webhook, with examples</li>" +
        "<li><a class=\"govuk-link\" href=\"/api/openapi.json\">The OpenAPI document</a> (OpenAPI 3.1, JSON)</li>" +
        "<li><a class=\"govuk-link\" href=\"/docs/delivery.md\">How notifications are delivered, signed, retried and acknowledged</a></li>" +
        "<li><a class=\"govuk-link\" href=\"/docs/incident-schema.md\">The incident schema, field by field</a></li>" +
        "<li><a class=\"govuk-link\" href=\"/docs/routing.md\">Who is sent what, and why</a></li>" +
        "<li><a class=\"govuk-link\" href=\"/docs/timeliness.md\">Due times, lateness, escalation and reports</a></li>" +
        "<li><a class=\"govuk-link\" href=\"/docs/evidence.md\">Evidence: how an inspector checks an incident's record without trusting the hub</a></li>" +
        "</ul>" +
        "<p class=\"govuk-body\">Every API request needs a key in the <code>X-Api-Key</code> header, issued by the hub's administrators.</p>" +
        "</div></div>";
}
