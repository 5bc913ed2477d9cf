using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/links/{token}</c> (the email link is the credential): the page showing the recipient's projection of
/// the incident and the <em>Acknowledge</em> form. The link works for its own notification only, until it expires or
/// is revoked; anything else is a 404 that does not say which. Opening is recorded (first opened, in the receipt;
/// every opening, in the audit trail).
/// </summary>
public sealed class OpenNotificationLink(ReceiptStore receipts, RecipientNotifications notifications, AuditTrail audit)
{
    [Function(nameof(OpenNotificationLink))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/{token}")] HttpRequest request, string token)
    {
        var ct = request.HttpContext.RequestAborted;
        var record = await LinkedNotification.FindAsync(request.HttpContext, receipts, ct);
        if (record is null) return Problems.NotFound(ApiKeyMiddleware.LinkNotValid);
        record = await notifications.OpenedAsync(record, ct);
        await audit.RecordAsync(AuditActor.Link(record.RecipientId), AuditActions.NotificationRead, [record.NotificationId], new { channel = "email-link" }, ct);
        return LinkedNotification.Page(request.HttpContext, NotificationPage.Render(await notifications.ViewAsync(record, ct)), StatusCodes.Status200OK);
    }
}

/// <summary>The notification an email link grants, if the link has not been revoked since it was sent.</summary>
internal static class LinkedNotification
{
    public static async Task<DeliveryRecord?> FindAsync(HttpContext context, ReceiptStore receipts, CancellationToken ct)
    {
        var grant = context.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (!NotificationId.TryParse(grant.NotificationId, out var incidentId, out var recipientId)) return null;
        var record = await receipts.LoadAsync(incidentId, recipientId, ct);
        return record is not null && record.LinkNonce == grant.Nonce ? record : null;
    }

    public static IResult Page(HttpContext context, string html, int status)
    {
        foreach (var (name, value) in NotificationPage.SecurityHeaders) context.Response.Headers[name] = value;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
