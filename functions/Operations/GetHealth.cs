using Azure;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Delivery;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Storage;
using NotifyHub.Ledger;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/health</c> (admin): whether storage answers, how much work waits on each queue and who
/// consumes it, how many messages were given up on (poison), how many incidents are overdue for routing and
/// how many are stuck; how many deliveries are overdue (a lost message reconciliation will re-queue) and how many
/// failed on every channel (missing shares). "degraded" whenever anything is poisoned, overdue, stuck or failed:
/// a lost share is never silent. Counts stop at 1000. Timeliness: how many shares are late and not yet acknowledged, and
/// the local authorities with incidents or a partnership lead but no term calendar (their schools' due times are guesses
/// until one is loaded). Bank holidays: "degraded" when none are loaded or they do not cover today (due times are
/// guesses), with the day they cover until and a warning when that is close. Views: how far they trail the ledger, and
/// the latest rebuild.
/// </summary>
public sealed class GetHealth(QueueServiceClient queues, IncidentStore incidents, DirectoryStore directory, OpenDeliveries open,
    Timeliness.SlaStore sla, Timeliness.CalendarCoverage calendars, ProjectionHints hints, ViewRebuild rebuild, IOptions<ReconcileOptions> reconcile,
    IOptions<DeliveryOptions> delivery, TimeProvider time)
{
    private const int CountLimit = 1000;

    public sealed record QueueHealth(string Name, int Waiting, int Poisoned, string? Consumer);

    /// <summary>
    /// How far the views trail the ledger: incidents noted as possibly lagging and since when the oldest (a note older than a
    /// few minutes means <c>ProjectLedger</c> is not keeping up: degraded); shares whose due time passed over five minutes ago
    /// and still await judgement (SlaMonitor is not keeping up: degraded); the latest rebuild of the views.
    /// </summary>
    public sealed record ViewsHealth(int LaggingIncidents, long? OldestLagSeconds, int OverdueJudgements, RebuildRun? LatestRebuild);

    public sealed record Answer(string Status, IReadOnlyList<QueueHealth> Queues, int OverdueIncidents, int StuckIncidents, int OverdueDeliveries,
        int FailedDeliveries, string? Problem, int LateShares = 0, ViewsHealth? Views = null, IReadOnlyList<string>? LasWithoutTermCalendar = null,
        DateOnly? BankHolidaysCoveredUntil = null, IReadOnlyList<string>? Warnings = null);

    /// <summary>A view this far behind its ledger means the apply after commits, and ProjectLedger, are not keeping up.</summary>
    public static readonly TimeSpan LagTolerated = TimeSpan.FromMinutes(3);

    [Function(nameof(GetHealth))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/health")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        try
        {
            var queueHealth = new List<QueueHealth>();
            foreach (var name in StorageNames.Queues)
            {
                queueHealth.Add(new QueueHealth(name, await LengthAsync(queues.GetQueueClient(name), ct),
                    await LengthAsync(queues.GetQueueClient(name + "-poison"), ct), StorageNames.ConsumerOf(name)));
            }
            var olderThan = time.GetUtcNow() - reconcile.Value.After;
            var overdue = 0;
            foreach (var force in await directory.Forces.CodesAsync(ct))
            {
                await foreach (var _ in incidents.PendingAsync(force, olderThan, ct)) overdue++;
            }
            var stuck = 0;
            await foreach (var _ in incidents.StuckAsync(ct)) stuck++;
            var now = time.GetUtcNow();
            var overdueDeliveries = (await open.OverdueAsync(now - delivery.Value.RequeueAfter, ct, CountLimit)).Count;
            var failedDeliveries = await open.FailedCountAsync(CountLimit, ct);
            var (lagging, oldest) = await hints.LagAsync(CountLimit, ct);
            var overdueJudgements = (await sla.DueAsync(now - TimeSpan.FromMinutes(5), CountLimit, ct)).Count;
            var views = new ViewsHealth(lagging, oldest is { } o ? (long)(now - o).TotalSeconds : null, overdueJudgements, await rebuild.CurrentAsync(ct));
            var degraded = overdue > 0 || stuck > 0 || overdueDeliveries > 0 || failedDeliveries > 0 || queueHealth.Any(q => q.Poisoned > 0)
                || oldest < now - LagTolerated || overdueJudgements > 0;
            var bankHolidays = await calendars.BankHolidaysAsync(ct);
            degraded |= bankHolidays.Degraded;
            var late = 0;
            await foreach (var _ in sla.OpenLateAsync(ct))
            {
                if (++late >= CountLimit) break;
            }
            return TypedResults.Ok(new Answer(degraded ? "degraded" : "ok", queueHealth, overdue, stuck, overdueDeliveries, failedDeliveries, null,
                late, views, await calendars.LasWithoutTermCalendarAsync(ct),
                bankHolidays.CoveredUntil?.ToDateOnly(), bankHolidays.Warning is { } warning ? [warning] : []));
        }
        catch (RequestFailedException e)
        {
            return TypedResults.Json(new Answer("unavailable", [], 0, 0, 0, 0, $"Storage did not answer: {e.Status} {e.ErrorCode}"),
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
