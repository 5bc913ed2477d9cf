using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary>
/// Timer: queues every incident that was stored but never queued (the process died, or the queue
/// was unavailable, between store and enqueue). Sending twice is harmless: routing is idempotent.
/// </summary>
public static class SweepUnqueuedIncidents
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapTimerFunction(nameof(SweepUnqueuedIncidents), "timer", RunAsync);

    private static async Task RunAsync(TimerInfo timer, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<IncidentStore>();
        var keys = services.GetRequiredService<ApiKeyStore>();
        var options = services.GetRequiredService<IOptions<IngestOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(SweepUnqueuedIncidents));
        var olderThan = services.GetRequiredService<TimeProvider>().GetUtcNow() - options.SweepAfter;

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
