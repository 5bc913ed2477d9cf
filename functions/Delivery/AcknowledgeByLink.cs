using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/links/{token}</c> (the email link is the credential): the page's <em>Acknowledge</em> form —
/// <c>name</c> and <c>role</c>, form-encoded. A browser gets the page again (with the acknowledgement, or with what
/// to correct); any other client gets JSON — 201 the first time, 200 with the first acknowledgement when it was
/// already acknowledged — and problem+json naming each bad field.
/// </summary>
public sealed class AcknowledgeByLink(ReceiptStore receipts, RecipientNotifications notifications, AuditTrail audit)
{
    private const int MaxBodyBytes = 4 * 1024;

    [Function(nameof(AcknowledgeByLink))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/{token}")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        var record = await LinkedNotification.FindAsync(request.HttpContext, receipts, ct);
        if (record is null) return Problems.NotFound(ApiKeyMiddleware.LinkNotValid);
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return Problems.UnsupportedMediaType("application/x-www-form-urlencoded (the page's form)");
        if (request.ContentLength is > MaxBodyBytes) return Problems.TooLarge(MaxBodyBytes);

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 100, ValueCountLimit = 10 }, ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return Problems.Invalid("$", "is not a readable form: " + e.Message);
        }
        var browser = request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        var (name, role) = (Single(form, "name"), Single(form, "role"));
        var validated = AcknowledgementInput.ValidateForm(name, role);
        if (!validated.IsValid)
        {
            if (!browser) return Problems.Invalid(validated.Errors);
            var view = await notifications.ViewAsync(record, ct);
            return LinkedNotification.Page(request.HttpContext, NotificationPage.Render(view, validated.Errors, name, role), StatusCodes.Status400BadRequest);
        }

        var (saved, first) = await notifications.AcknowledgeAsync(record, validated.Value!, ct);
        if (first) await audit.RecordAsync(AuditActor.Link(saved.RecipientId), AuditActions.NotificationAcknowledged, [saved.NotificationId], new { channel = "email-link" }, ct);
        if (browser) return LinkedNotification.Page(request.HttpContext, NotificationPage.Render(await notifications.ViewAsync(saved, ct)), StatusCodes.Status200OK);
        var answer = new AcknowledgeNotification.Answer(saved.NotificationId, saved.Receipt.Status, saved.Receipt.DeliveredAt,
            AcknowledgementView.Of(saved.Receipt.Acknowledged)!, !first);
        return first ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    private static string? Single(IFormCollection form, string field) => form.TryGetValue(field, out var values) && values.Count == 1 ? values[0] : null;
}
