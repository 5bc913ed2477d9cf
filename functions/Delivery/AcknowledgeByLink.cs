using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Decisions;
using NotifyHub.Delivery;
using NotifyHub.Organisations;
using NotifyHub.Web;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Validation;
using NotifyHub.FrontDoor;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/links/{token}</c> (the email link is the credential), form-encoded, from the link's page: <c>action=open</c>
/// — a person asked to see the notification: recorded as opened (and so delivered), and the page shows the recipient's
/// projection of the incident with the <em>Acknowledge</em> form; <c>action=decide</c> — on a MASH's incident
/// notification only, the MASH's decision (<see cref="LinkDecisions"/>; docs/decisions.md); or <c>name</c> and
/// <c>role</c> — the acknowledgement. A browser gets the page again (with the acknowledgement or the decision recorded, or
/// with what to correct); any other client gets JSON — 201 the first time, 200 with the first acknowledgement when it was
/// already acknowledged, 201 with a recorded decision — and problem+json naming each bad field; <c>action=release</c> or
/// <c>action=withhold</c> — on a front-door review only, the relay's release or withholding of the held share
/// (<see cref="ReviewPage"/>; docs/routing.md). Every opening, acknowledgement, decision, release and withholding is in the audit trail.
/// </summary>
public sealed class AcknowledgeByLink(RecipientNotifications notifications, DirectoryStore directory, LinkDecisions decisions, FrontDoorReviews reviews,
    AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;

    /// <summary>
    /// A MASH's page also carries the decision form: a rationale of 4,000 characters and three next steps of 500, with
    /// room for the percent-encoding of ordinary text (a line break, an apostrophe or a pound sign takes 3 to 9 bytes).
    /// </summary>
    private const int MaxDecisionBodyBytes = 24 * 1024;

    /// <summary>The decision form's fields: a dozen boxes, three next steps of five, a checkbox per child (the API takes at most 50) and per agency.</summary>
    private const int MaxDecisionFields = 100;

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
        var decides = LinkDecisions.Takes(found.Record);
        var reviews = found.Record.Kind == DeliveryKinds.RelayReview;
        var maxBytes = decides || reviews ? MaxDecisionBodyBytes : MaxBodyBytes;
        if (request.ContentLength is { } length && length > maxBytes)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("What you entered is too long", $"The form must be at most {maxBytes} bytes."), StatusCodes.Status413PayloadTooLarge)
                : Problems.TooLarge(maxBytes);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                ValueLengthLimit = maxBytes, KeyLengthLimit = 100, ValueCountLimit = decides || reviews ? MaxDecisionFields : 10,
            }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("The form could not be read", "Your browser sent a form the hub could not read."), StatusCodes.Status400BadRequest)
                : Problems.Invalid("$", "is not a readable form: " + e.Message);
        }
        var action = Single(form, "action");
        if (reviews && action is ReviewPage.ReleaseAction or ReviewPage.WithholdAction)
            return await ReviewAsync(request, found, action, form, browser, ct);
        if (action is not null && action != OpenAction && (action != DecisionPage.Action || !decides))
        {
            return browser
                ? Page.Result(http, NotificationPage.Problem("The form could not be read", "The page's form was changed before it was sent."), StatusCodes.Status400BadRequest)
                : Problems.Invalid("action", decides
                    ? $"must be {OpenAction} or {DecisionPage.Action}, or left out with name and role to acknowledge"
                    : $"must be {OpenAction}, or left out with name and role to acknowledge ({DecisionPage.Action} is only for a MASH's incident notification)");
        }
        if (action == OpenAction)
        {
            var opened = await notifications.OpenedAsync(found, ct) ?? found;
            await audit.RecordAsync(AuditActor.Link(opened.Record.OrganisationId), AuditActions.NotificationRead, [opened.Record.NotificationId],
                new { channel = "email-link" }, ct);
            return browser
                ? Page.Result(http, NotificationPage.Render(await ModelAsync(opened, ct)))
                : TypedResults.Ok(RecipientNotifications.View(opened));
        }
        if (action == DecisionPage.Action)
        {
            var decided = await decisions.DecideAsync(found.Record, field => form.TryGetValue(field, out var v) ? [.. v.Select(x => x ?? "")] : [], ct);
            if (decided is null) return LinkPages.NotValid(http, LinkKind.Notification);
            if (decided.Recorded is not { } recorded)
            {
                return browser
                    ? Page.Result(http, NotificationPage.Render(await ModelAsync(found, ct, decided.Section)), StatusCodes.Status400BadRequest)
                    : Problems.Invalid(decided.Errors);
            }
            return browser
                ? Page.Result(http, NotificationPage.Render(await ModelAsync(found, ct, decided.Section)))
                : TypedResults.Created((string?)null, DecisionView.Of(decided.Mash.Ledger.IncidentId, recorded, recorded.Version));
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
            return Page.Result(http, NotificationPage.Render(await ModelAsync(found, ct), validated.Errors, name, role),
                StatusCodes.Status400BadRequest);
        }

        var acknowledged = await notifications.AcknowledgeAsync(found, validated.Value!, "email-link", ct);
        if (acknowledged is null) return LinkPages.NotValid(http, LinkKind.Notification);
        var (saved, first) = (acknowledged.Record, acknowledged.Changed);
        if (first) await audit.RecordStoredAsync(AuditActor.Link(saved.OrganisationId), AuditActions.NotificationAcknowledged, [saved.NotificationId], new { channel = "email-link" });
        if (browser) return Page.Result(http, NotificationPage.Render(await ModelAsync(acknowledged, ct)));
        var answer = new AcknowledgeNotification.Answer(saved.NotificationId, saved.Receipt.Status, saved.Receipt.DeliveredAt,
            AcknowledgementView.Of(saved.Receipt.Acknowledged)!, !first);
        return first ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    /// <summary>
    /// The review page's release or withhold form: validated (the page again with what to correct, or problem+json), then stored
    /// as the API stores it (<see cref="FrontDoorReviews"/>), audited, and the page again with what was decided.
    /// </summary>
    private async Task<IResult> ReviewAsync(HttpRequest request, RecipientNotification found, string action, IFormCollection form, bool browser, CancellationToken ct)
    {
        var http = request.HttpContext;
        var (share, refusal) = FrontDoorReviews.HeldShare(found);
        if (share is null || refusal is not null)
        {
            var why = share is null ? "The share this review is about is not on record." : $"This share has been decided already: {refusal}.";
            return browser ? Page.Result(http, ReviewPage.Render(await ModelAsync(found, ct)), StatusCodes.Status409Conflict) : Problems.Conflict(why);
        }
        var entry = new ReviewFormEntry(action, Single(form, "name") ?? "", Single(form, "role") ?? "", Single(form, "note") ?? "",
            form.TryGetValue("remove", out var removed) ? [.. removed.Select(x => x ?? "")] : [], Single(form, "reason") ?? "", Single(form, "newSchoolUrn") ?? "");
        ReviewOutcome outcome;
        FieldErrors errors;
        Func<IResult> answer;
        if (action == ReviewPage.ReleaseAction)
        {
            var release = FrontDoorInput.ValidateReleaseForm(entry.Name, entry.Role, entry.Note, entry.Remove!, share.RecipientType);
            errors = release.Errors;
            outcome = release.IsValid ? await reviews.ReleaseAsync(found.Record, release.Value!, ct) : new(null, null, null);
            if (release.IsValid && outcome.Refused is null)
                await audit.RecordStoredAsync(AuditActor.Link(found.Record.OrganisationId), AuditActions.ShareReleased, [found.Record.IncidentId, found.Record.NotificationId],
                    new { channel = "email-link", removed = release.Value!.Remove.Count, noted = release.Value.Note is not null, role = release.Value.By.Role });
            answer = () => TypedResults.Created((string?)null, ReleaseNotification.Answer.Of(found.Record.NotificationId, outcome, release.Value!));
        }
        else
        {
            var withhold = FrontDoorInput.ValidateWithholdForm(entry.Name, entry.Role, entry.Reason, entry.NewSchoolUrn);
            errors = withhold.Errors;
            outcome = withhold.IsValid ? await reviews.WithholdAsync(found.Record, withhold.Value!, ct) : new(null, null, null);
            if (outcome.UnknownSchool) errors.Add("newSchoolUrn", outcome.Refused!);
            else if (withhold.IsValid && outcome.Refused is null)
                await audit.RecordStoredAsync(AuditActor.Link(found.Record.OrganisationId), AuditActions.ShareWithheld, [found.Record.IncidentId, found.Record.NotificationId],
                    new { channel = "email-link", reason = withhold.Value!.Reason, reroutedTo = outcome.ReroutedTo, role = withhold.Value.By.Role });
            answer = () => TypedResults.Created((string?)null, WithholdNotification.Answer.Of(found.Record.NotificationId, outcome));
        }
        if (errors.Any)
        {
            return browser
                ? Page.Result(http, ReviewPage.Render(await ModelAsync(found, ct), errors, entry), StatusCodes.Status400BadRequest)
                : Problems.Invalid(errors);
        }
        if (outcome.Refused is { } refused)
            return browser ? Page.Result(http, ReviewPage.Render(await ModelAsync(found, ct)), StatusCodes.Status409Conflict) : Problems.Conflict($"This share cannot be {action}d now: {refused}.");
        var decided = found with { Record = outcome.Review ?? found.Record };
        if (browser) return Page.Result(http, ReviewPage.Render(await ModelAsync(decided, ct)));
        // The same answers as POST …/release and …/withhold.
        return answer();
    }

    /// <summary>The page's model; a MASH's incident notification's has its decision section (as just sent, or as it stands).</summary>
    private async Task<NotificationPageModel> ModelAsync(RecipientNotification notification, CancellationToken ct, DecisionSection? decision = null) =>
        await LinkedNotification.ModelAsync(notification, directory, ct) with { Decision = decision ?? await decisions.SectionAsync(notification.Record, ct) };

    private static string? Single(IFormCollection form, string field) => form.TryGetValue(field, out var values) && values.Count == 1 ? values[0] : null;
}
