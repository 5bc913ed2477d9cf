using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Organisations;
using NotifyHub.Web;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/links/{token}</c> (the email link is the credential), form-encoded, from the link's page: <c>action=open</c>
/// — a person asked to see the notification: recorded as opened (and so delivered), and the page shows the recipient's
/// projection of the incident with the <em>Acknowledge</em> form; or <c>name</c> and <c>role</c> — the acknowledgement. A
/// browser gets the page again (with the acknowledgement, or with what to correct); any other client gets JSON — 201 the
/// first time, 200 with the first acknowledgement when it was already acknowledged — and problem+json naming each bad
/// field. Every opening and acknowledgement is in the audit trail.
/// </summary>
public sealed class AcknowledgeByLink(RecipientNotifications notifications, DirectoryStore directory, AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;
    public const string OpenAction = "open";

    [Function(nameof(AcknowledgeByLink))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/links/{token}")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        var http = request.HttpContext;
        var browser = LinkPages.WantsPage(request);
        var found = await LinkedNotification.FindAsync(http, notifications, ct);
        if (found is null) return LinkPages.NotValid(http, LinkKind.Notification);
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("The form could not be read", "Your browser sent something other than the page's form."), StatusCodes.Status415UnsupportedMediaType)
                : Problems.UnsupportedMediaType("application/x-www-form-urlencoded (the page's form)");
        }
        if (request.ContentLength is > MaxBodyBytes)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("What you entered is too long", $"The form must be at most {MaxBodyBytes} bytes."), StatusCodes.Status413PayloadTooLarge)
                : Problems.TooLarge(MaxBodyBytes);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 100, ValueCountLimit = 10 }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("The form could not be read", "Your browser sent a form the hub could not read."), StatusCodes.Status400BadRequest)
                : Problems.Invalid("$", "is not a readable form: " + e.Message);
        }
        var action = Single(form, "action");
        if (action is not null && action != OpenAction)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("The form could not be read", "The page's form was changed before it was sent."), StatusCodes.Status400BadRequest)
                : Problems.Invalid("action", $"must be {OpenAction}, or left out with name and role to acknowledge");
        }
        if (action == OpenAction)
        {
            var opened = await notifications.OpenedAsync(found, ct) ?? found;
            await audit.RecordAsync(AuditActor.Link(opened.Record.OrganisationId), AuditActions.NotificationRead, [opened.Record.NotificationId],
                new { channel = "email-link" }, ct);
            return browser
                ? Page.Result(http, NotificationPage.Render(await LinkedNotification.ModelAsync(opened, directory, ct)))
                : TypedResults.Ok(RecipientNotifications.View(opened));
        }

        if (KindWording.NotAcknowledgeable(found.Record.Kind, found.Record.NotificationId) is { } why)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("This cannot be acknowledged", why), StatusCodes.Status409Conflict)
                : Problems.Conflict(why);
        }
        var (name, role) = (Single(form, "name"), Single(form, "role"));
        var validated = AcknowledgementInput.ValidateForm(name, role);
        if (!validated.IsValid)
        {
            if (!browser) return Problems.Invalid(validated.Errors);
            return Page.Result(http, NotificationPage.Render(await LinkedNotification.ModelAsync(found, directory, ct), validated.Errors, name, role),
                StatusCodes.Status400BadRequest);
        }

        var acknowledged = await notifications.AcknowledgeAsync(found, validated.Value!, "email-link", ct);
        if (acknowledged is null) return LinkPages.NotValid(http, LinkKind.Notification);
        var (saved, first) = (acknowledged.Record, acknowledged.Changed);
        if (first) await audit.RecordStoredAsync(AuditActor.Link(saved.OrganisationId), AuditActions.NotificationAcknowledged, [saved.NotificationId], new { channel = "email-link" });
        if (browser) return Page.Result(http, NotificationPage.Render(await LinkedNotification.ModelAsync(acknowledged, directory, ct)));
        var answer = new AcknowledgeNotification.Answer(saved.NotificationId, saved.Receipt.Status, saved.Receipt.DeliveredAt,
            AcknowledgementView.Of(saved.Receipt.Acknowledged)!, !first);
        return first ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    private static string? Single(IFormCollection form, string field) => form.TryGetValue(field, out var values) && values.Count == 1 ? values[0] : null;
}
