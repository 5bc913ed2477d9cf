using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>PingWebhookEndpointsSchedule</c>, daily at 07:00 by default): the hub's daily handshake
/// with every recipient that takes webhooks (what NHS MESH's daily handshake gives). First, in a pass of its own over the
/// whole <c>WebhookEndpoints</c> table, secrets still protected with a retired <c>Delivery:WebhookSecretKey</c> (or, during
/// the one-off migration, found in the clear) are protected again with the current one — whatever the pings then do.
/// Then each active webhook endpoint gets a signed <c>ping</c> (same headers and signature as a notification,
/// <c>"type":"ping"</c>, no incident data), <c>Delivery:PingConcurrency</c> at a time so that endpoints that never answer
/// do not hold up the rest, and the result is recorded, so <c>GET /api/admin/webhooks/silent</c> finds a dead endpoint
/// before an incident needs it. A disabled endpoint is pinged too: a 2xx shows it is back (an administrator re-enables
/// it by issuing a secret).
/// </summary>
public sealed class PingWebhookEndpoints(DirectoryStore directory, WebhookEndpointStore endpoints, WebhookSender webhooks, IOptions<DeliveryOptions> options,
    TimeProvider time, ILogger<PingWebhookEndpoints> logger)
{
    public const string ScheduleSetting = "PingWebhookEndpointsSchedule";

    [Function(nameof(PingWebhookEndpoints))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var concurrency = options.Value.PingConcurrency;
        var (reprotected, notReprotected) = await endpoints.ReprotectAllAsync(concurrency, ct);
        DeliveryLog.ReprotectPass(logger, reprotected, notReprotected);

        var (answered, silent) = (0, 0);
        await Parallel.ForEachAsync(directory.WebhookRecipientsAsync(ct), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (organisation, token) =>
            {
                var now = time.GetUtcNow();
                var endpoint = await endpoints.GetAsync(organisation.Id, now, token);
                var body = NotificationPayload.Ping(organisation.Id, organisation.Type).ToJson();
                var result = await webhooks.SendAsync(organisation.Channel!.Url!, $"ping_{organisation.Id}_{now:yyyyMMddHHmmss}", body, endpoint?.Secrets ?? [], token);
                var ok = result.Outcome.Kind == OutcomeKind.Delivered;
                await endpoints.RecordPingAsync(organisation.Id, ok, ok ? null : result.Outcome.ErrorClass, token);
                if (ok) Interlocked.Increment(ref answered);
                else Interlocked.Increment(ref silent);
            });
        DeliveryLog.Pinged(logger, answered, silent);
    }
}
