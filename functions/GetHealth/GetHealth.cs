using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;
using NotifyHub.Storage;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/health</c> (admin): whether storage answers, how much work waits on each queue,
/// how many messages were given up on (poison), and how many incidents are stored but not yet
/// queued. "degraded" whenever anything sits in a poison queue or waits for the sweep: a lost share
/// is never silent.
/// </summary>
public static class GetHealth
{
    public sealed record QueueHealth(string Name, int Waiting, int Poisoned);

    public sealed record Answer(string Status, IReadOnlyList<QueueHealth> Queues, int UnqueuedIncidents, string? Problem);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/admin/health", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(GetHealth));

    private static async Task<IResult> HandleAsync(
        HttpContext context, QueueServiceClient queues, IncidentStore incidents, ApiKeyStore keys, IOptions<IngestOptions> ingest, TimeProvider time)
    {
        var ct = context.RequestAborted;
        try
        {
            var queueHealth = new List<QueueHealth>();
            foreach (var name in StorageNames.Queues)
            {
                queueHealth.Add(new QueueHealth(name, await LengthAsync(queues.GetQueueClient(name), ct),
                    await LengthAsync(queues.GetQueueClient(name + "-poison"), ct)));
            }
            var olderThan = time.GetUtcNow() - ingest.Value.SweepAfter;
            var unqueued = 0;
            foreach (var force in await keys.ForceCodesAsync(ct))
            {
                await foreach (var _ in incidents.UnqueuedAsync(force, olderThan, ct)) unqueued++;
            }
            var degraded = unqueued > 0 || queueHealth.Any(q => q.Poisoned > 0);
            return TypedResults.Ok(new Answer(degraded ? "degraded" : "ok", queueHealth, unqueued, null));
        }
        catch (RequestFailedException e)
        {
            return TypedResults.Json(new Answer("unavailable", [], 0, $"Storage did not answer: {e.Status} {e.ErrorCode}"),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<int> LengthAsync(QueueClient queue, CancellationToken ct)
    {
        try
        {
            return (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0; // a poison queue appears only when something is first given up on
        }
    }
}
