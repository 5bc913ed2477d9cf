using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Incidents;
using NotifyHub.Organisations;
using NotifyHub.Ledger;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>ReconcileIncidentsSchedule</c>, every minute by default): makes the stored state the
/// truth. Every incident accepted but still not routed <c>Reconcile:After</c> after it was last queued — its
/// message lost, expired, deleted or poisoned, or never sent — is queued again, at most
/// <c>Reconcile:MaxRequeues</c> times; after that it is marked <c>stuck</c> with the reason, counted by health
/// and listed by <c>GET /api/admin/incidents/stuck</c> until an operator retries it. Nothing is dropped silently.
/// Forces come from the force registry, not from API keys, so a force whose keys are gone is still reconciled.
/// <para>
/// Deliveries too: every delivery still open (the open view) whose next attempt is <c>Delivery:RequeueAfter</c> overdue
/// and not claimed by a live attempt has lost its message — it is queued again with its current sequence number, at most
/// once a claim period.
/// </para>
/// </summary>
public sealed class ReconcileIncidents(IncidentStore store, DirectoryStore directory, OpenDeliveries open, LedgerWriter writer, Projector projector,
    AuditTrail audit, IOptions<ReconcileOptions> options, IOptions<DeliveryOptions> delivery, TimeProvider time, ILogger<ReconcileIncidents> logger)
{
    public const string ScheduleSetting = "ReconcileIncidentsSchedule";

    [Function(nameof(ReconcileIncidents))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var forces = await directory.Forces.CodesAsync(ct);
        var (requeued, stuck) = (0, 0);
        foreach (var force in forces)
        {
            await foreach (var pending in store.PendingAsync(force, now - settings.After, ct))
            {
                // A routing attempt holds it (one that died holds it until its claim lapses): not a lost message, and not counted as one.
                if (await store.ClaimedAsync(pending, ct)) continue;
                if (pending.Requeues < settings.MaxRequeues)
                {
                    if (!await store.RequeueAsync(pending, ct)) continue;
                    IncidentsLog.Requeued(logger, pending.IncidentId, force, pending.Requeues + 1, settings.MaxRequeues);
                    requeued++;
                }
                else
                {
                    var reason = $"not routed {Describe(now - pending.ReceivedAt)} after it was accepted, though queued {pending.Requeues + 1} times; " +
                                 "the RouteIncident failures in the logs and the incidents-poison queue say why";
                    if (!await store.MarkStuckAsync(pending, reason, ct)) continue;
                    IncidentsLog.GaveUp(logger, pending.IncidentId, force, pending.Requeues + 1);
                    await audit.RecordAsync(AuditActor.Hub(nameof(ReconcileIncidents)), AuditActions.IncidentGivenUp, [pending.IncidentId],
                        new { forceCode = force, queued = pending.Requeues + 1 }, ct);
                    stuck++;
                }
            }
        }
        IncidentsLog.ReconcileFinished(logger, forces.Count, requeued, stuck);
        await ReconcileDeliveriesAsync(now, ct);
    }

    /// <summary>
    /// Every open delivery whose next attempt is <c>Delivery:RequeueAfter</c> overdue (from the open view) is queued again —
    /// a decision on its ledger (<see cref="DeliveryChanges.Requeue"/>), so it is queued at most once a claim period however
    /// often this runs, and the message goes when the change is applied. One the view lists but its ledger says is not
    /// overdue (its view lags) has its views brought up to date.
    /// </summary>
    private async Task ReconcileDeliveriesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = delivery.Value;
        foreach (var incident in (await open.OverdueAsync(now - settings.RequeueAfter, ct)).GroupBy(o => o.IncidentId))
        {
            var recipients = incident.Select(o => o.RecipientId).ToList();
            var committed = await writer.ChangeAsync(incident.Key, LedgerParts.None, null, current =>
            {
                var write = new LedgerWrite();
                foreach (var r in recipients)
                {
                    if (current.Delivery(r) is { } d) write.Add(DeliveryChanges.Requeue(d, now, settings.RequeueAfter, settings.ClaimFor));
                }
                return write;
            }, LedgerWriter.Options.Retried, ct);
            foreach (var e in committed.Events) DeliveryLog.Requeued(logger, NotificationId.Format(incident.Key, e.Event.Subject!), now - (committed.Before.Delivery(e.Event.Subject!)?.Receipt.NextAttemptAt ?? now));
            var stale = recipients.Where(r => committed.After.Delivery(r) is not { IsOpen: true }).ToList();
            if (stale.Count > 0 && !committed.Before.Lagging) await projector.CatchUpAsync(incident.Key, stale, false, ct);
        }
    }

    private static string Describe(TimeSpan age) =>
        age >= TimeSpan.FromDays(1) ? $"{(int)age.TotalDays} d {age.Hours} h" : age >= TimeSpan.FromHours(1) ? $"{(int)age.TotalHours} h {age.Minutes} min" : $"{(int)age.TotalMinutes} min";
}
