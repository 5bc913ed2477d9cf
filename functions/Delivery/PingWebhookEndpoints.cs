using Microsoft.Azure.Functions.Worker;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>PingWebhookEndpointsSchedule</c>, daily at 07:00 by default): the hub's daily handshake
/// with every recipient that takes webhooks (what NHS MESH's daily handshake gives). Each active webhook endpoint
/// gets a signed <c>ping</c> (same headers and signature as a notification, <c>"type":"ping"</c>, no incident data)
/// and the result is recorded, so <c>GET /api/admin/webhooks/silent</c> finds a dead endpoint before an incident
/// needs it. A disabled endpoint is pinged too: a 2xx shows it is back (an administrator re-enables it by issuing
/// a secret). Secrets still protected with a retired <c>Delivery:WebhookSecretKey</c> are protected again with the
/// current one on the way.
/// </summary>
public sealed class PingWebhookEndpoints(DirectoryStore directory, WebhookEndpointStore endpoints, WebhookSender webhooks, TimeProvider time,
    ILogger<PingWebhookEndpoints> logger)
{
    public const string ScheduleSetting = "PingWebhookEndpointsSchedule";

    [Function(nameof(PingWebhookEndpoints))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var (answered, silent) = (0, 0);
        await foreach (var organisation in directory.WebhookRecipientsAsync(ct))
        {
            var now = time.GetUtcNow();
            var endpoint = await endpoints.GetAsync(organisation.Id, now, ct);
            // After a rotation of Delivery:WebhookSecretKey, the daily run moves every secret onto the new key.
            if (endpoint is { SecretsStale: true }) await endpoints.ReprotectAsync(organisation.Id, ct);
            var body = NotificationPayload.Ping(organisation.Id, organisation.Type).ToJson();
            var result = await webhooks.SendAsync(organisation.Channel!.Url!, $"ping_{organisation.Id}_{now:yyyyMMddHHmmss}", body, endpoint?.Secrets ?? [], ct);
            var ok = result.Outcome.Kind == OutcomeKind.Delivered;
            await endpoints.RecordPingAsync(organisation.Id, ok, ok ? null : result.Outcome.ErrorClass, ct);
            if (ok) answered++;
            else silent++;
        }
        DeliveryLog.Pinged(logger, answered, silent);
    }
}
