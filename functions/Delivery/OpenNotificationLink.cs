using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/links/{token}</c> (the email link is the credential): the page an email link opens. It says who the
/// notification is for and its police reference — what the email said — and asks the reader to open it (a button, which
/// POSTs). Mail gateways fetch every link in an email to scan it, so a GET records nothing — not delivered, not opened —
/// and stops nothing: only a person pressing the button does (<see cref="AcknowledgeByLink"/>). The link works for its own
/// notification only, until it expires or is revoked; anything else is a 404 that does not say which.
/// </summary>
public sealed class OpenNotificationLink(RecipientNotifications notifications)
{
    [Function(nameof(OpenNotificationLink))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/links/{token}")] HttpRequest request, string token)
    {
        var found = await LinkedNotification.FindAsync(request.HttpContext, notifications, request.HttpContext.RequestAborted);
        if (found is null) return Problems.NotFound(ApiKeyMiddleware.LinkNotValid);
        return LinkedNotification.Page(request.HttpContext, NotificationPage.Landing(found.Record), StatusCodes.Status200OK);
    }
}

/// <summary>The notification an email link grants, if the link has not been revoked since it was sent.</summary>
internal static class LinkedNotification
{
    public static async Task<RecipientNotification?> FindAsync(HttpContext context, RecipientNotifications notifications, CancellationToken ct)
    {
        var grant = context.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (!NotificationId.TryParse(grant.NotificationId, out _, out var recipientId)) return null;
        return await notifications.FindAsync(grant.NotificationId, recipientId, grant.Nonce, ct);
    }

    public static IResult Page(HttpContext context, string html, int status)
    {
        foreach (var (name, value) in NotificationPage.SecurityHeaders) context.Response.Headers[name] = value;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
