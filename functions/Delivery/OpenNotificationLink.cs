using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Organisations;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Routing;
using NotifyHub.Web;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/links/{token}</c> (the email link is the credential): the page an email link opens. It says who the
/// notification is for, its police reference and when it is due — what the email said — and asks the reader to view it
/// (a button, which POSTs). Mail gateways fetch every link in an email to scan it, so a GET records nothing — not
/// delivered, not opened — and stops nothing: only a person pressing the button does (<see cref="AcknowledgeByLink"/>).
/// The link works for its own notification only, until it expires or is revoked; anything else is a 404 (a page for a
/// browser) that does not say which.
/// </summary>
public sealed class OpenNotificationLink(RecipientNotifications notifications)
{
    [Function(nameof(OpenNotificationLink))]
    [RequiresLink]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/links/{token}")] HttpRequest request, string token)
    {
        var found = await LinkedNotification.FindAsync(request.HttpContext, notifications, request.HttpContext.RequestAborted);
        if (found is null) return LinkPages.NotValid(request.HttpContext, LinkKind.Notification);
        return Page.Result(request.HttpContext, NotificationPage.Landing(found.Record));
    }
}

/// <summary>The notification an email link grants, if the link has not been revoked since it was sent, and its page.</summary>
internal static class LinkedNotification
{
    public static async Task<RecipientNotification?> FindAsync(HttpContext context, RecipientNotifications notifications, CancellationToken ct)
    {
        var grant = context.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (!NotificationId.TryParse(grant.NotificationId, out _, out var recipientId)) return null;
        return await notifications.FindAsync(grant.NotificationId, DeliveryKey.OrganisationOf(recipientId), grant.Nonce, ct);
    }

    /// <summary>The page's model: the recipient's view, its name, and the names of the schools and settings its content cites by URN.</summary>
    public static async Task<NotificationPageModel> ModelAsync(RecipientNotification notification, DirectoryStore directory, CancellationToken ct)
    {
        var view = RecipientNotifications.View(notification);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (view.Kind == DeliveryKinds.Incident && view.Content is { } json && System.Text.Json.JsonSerializer.Deserialize(json, RoutingJsonContext.Default.DeliveryContent)?.Children is { } children)
        {
            var cited = children.SelectMany(c => new[] { (OrganisationTypes.School, c.SchoolUrn), (OrganisationTypes.EarlyYearsSetting, c.EarlyYearsSettingUrn) })
                .Where(c => c.Item2 is not null).Distinct();
            foreach (var (type, urn) in cited)
            {
                if (DirectoryIndexKeys.IdForUrn(type, urn!) is { } id && await directory.GetAsync(id, ct) is { } organisation) names[urn!] = organisation.Name;
            }
        }
        return new NotificationPageModel(view, notification.Record.RecipientName, names);
    }
}
