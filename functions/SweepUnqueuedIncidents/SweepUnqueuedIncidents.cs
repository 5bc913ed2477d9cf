using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>SweepUnqueuedIncidentsSchedule</c>, every minute by default): queues every
/// incident that was stored but never queued (the process died, or the queue was unavailable, between
/// store and enqueue). Sending twice is harmless: routing is idempotent.
/// </summary>
public sealed class SweepUnqueuedIncidents(IncidentStore store, ApiKeyStore keys, IOptions<IngestOptions> options, TimeProvider time, ILogger<SweepUnqueuedIncidents> logger)
{
    public const string ScheduleSetting = "SweepUnqueuedIncidentsSchedule";

    [Function(nameof(SweepUnqueuedIncidents))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var olderThan = time.GetUtcNow() - options.Value.SweepAfter;
        var forces = await keys.ForceCodesAsync(ct);
        var requeued = 0;
        foreach (var force in forces)
        {
            await foreach (var incident in store.UnqueuedAsync(force, olderThan, ct))
            {
                await store.EnqueueAsync(incident, ct);
                IncidentsLog.Requeued(logger, incident.IncidentId, force);
                requeued++;
            }
        }
        IncidentsLog.SweepFinished(logger, forces.Count, requeued);
    }
}
