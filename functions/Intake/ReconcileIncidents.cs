using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Incidents;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>ReconcileIncidentsSchedule</c>, every minute by default): makes the stored state the
/// truth. Every incident accepted but still not routed <c>Reconcile:After</c> after it was last queued — its
/// message lost, expired, deleted or poisoned, or never sent — is queued again, at most
/// <c>Reconcile:MaxRequeues</c> times; after that it is marked <c>stuck</c> with the reason, counted by health
/// and listed by <c>GET /api/admin/incidents/stuck</c> until an operator retries it. Nothing is dropped silently.
/// Forces come from the force registry, not from API keys, so a force whose keys are gone is still reconciled.
/// <para>
/// Deliveries too: every delivery still open (listed in <c>OpenDeliveries</c>) whose next attempt is
/// <c>Delivery:RequeueAfter</c> overdue and not claimed by a live attempt has lost its message — it is queued again
/// with its current sequence number. One found final, or waiting in the inbox, leaves the open list.
/// </para>
/// </summary>
public sealed class ReconcileIncidents(IncidentStore store, DirectoryStore directory, ReceiptStore receipts, AuditTrail audit,
    IOptions<ReconcileOptions> options, IOptions<DeliveryOptions> delivery, TimeProvider time, ILogger<ReconcileIncidents> logger)
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

    private async Task ReconcileDeliveriesAsync(DateTimeOffset now, CancellationToken ct)
    {
        await foreach (var (incidentId, recipientId) in receipts.OpenDeliveriesAsync(ct))
        {
            var record = await receipts.LoadAsync(incidentId, recipientId, ct);
            if (record is null) continue;
            if (DeliveryStatus.IsFinal(record.Receipt.Status) || record.Receipt.NextAttemptAt is null)
            {
                await receipts.ForgetAsync(record, ct);
                continue;
            }
            var overdue = now - record.Receipt.NextAttemptAt.Value;
            if (overdue < delivery.Value.RequeueAfter || record.ClaimedUntil > now) continue;
            await receipts.EnqueueAsync(record, TimeSpan.Zero, ct);
            DeliveryLog.Requeued(logger, record.NotificationId, overdue);
        }
    }

    private static string Describe(TimeSpan age) =>
        age >= TimeSpan.FromDays(1) ? $"{(int)age.TotalDays} d {age.Hours} h" : age >= TimeSpan.FromHours(1) ? $"{(int)age.TotalHours} h {age.Minutes} min" : $"{(int)age.TotalMinutes} min";
}
