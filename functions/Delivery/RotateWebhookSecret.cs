using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations/{id}/webhook-secrets</c> (admin): issues a new Standard Webhooks signing secret
/// (<c>whsec_…</c>) for the organisation's webhook endpoint. The secret is in this answer only. The previous secret
/// keeps signing alongside it for <c>Delivery:SecretOverlap</c> (both signatures are sent), so the receiver can
/// switch without losing a message. Issuing a secret also re-enables an endpoint disabled by a 410 Gone.
/// </summary>
public sealed class RotateWebhookSecret(DirectoryStore organisations, WebhookEndpointStore endpoints, AuditTrail audit,
    IOptions<DeliveryOptions> options, TimeProvider time)
{
    public sealed record Answer(string OrganisationId, string Secret, DateTimeOffset IssuedAt, DateTimeOffset? PreviousSecretValidUntil);

    [Function(nameof(RotateWebhookSecret))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/organisations/{id}/webhook-secrets")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var organisation = await organisations.GetAsync(id, ct);
        if (organisation is null) return Problems.NotFound($"There is no organisation with id {id}.");
        if (!organisation.Active) return Problems.Conflict($"Organisation {id} is deactivated.");

        var now = time.GetUtcNow();
        var hadSecret = (await endpoints.GetAsync(id, now, ct))?.Secrets.Count > 0;
        var previousUntil = now + options.Value.SecretOverlap;
        var secret = await endpoints.RotateAsync(id, previousUntil, ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.WebhookSecretRotated, [id], new { previousKept = hadSecret }, ct);
        return TypedResults.Created($"/api/admin/organisations/{id}/webhook-secrets",
            new Answer(id, secret, now, hadSecret ? previousUntil : null));
    }
}
