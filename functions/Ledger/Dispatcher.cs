using Azure.Storage.Queues;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Storage;
using NotifyHub.Timeliness;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Ledger;

/// <summary>
/// The messages the ledger's events call for — the outbox: an incident's first attempts when it is routed (a share held at the
/// front door, when it is released), the next attempt
/// an attempt scheduled, a message reconciliation found lost, the escalation of a share marked late. Sent as part of
/// applying the events, so a crash after a commit sends them when the events are applied again; a message sent twice is
/// harmless (delivery drops a message whose sequence number is not the delivery's current one; escalation records each
/// email it sends). A message the state has moved past is not sent.
/// </summary>
public sealed class Dispatcher(QueueServiceClient queues, TimeProvider time)
{
    private QueueClient Deliveries => queues.GetQueueClient(StorageNames.DeliveriesQueue);
    private QueueClient Escalations => queues.GetQueueClient(StorageNames.EscalationsQueue);

    /// <summary>A queue counts visibility in whole seconds, and hides a message for at most 7 days.</summary>
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task DispatchAsync(IncidentLedger ledger, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var sends = new List<Task>();
        // A share is first attempted when it is routed, or — held at the LA front door — when it is released.
        var first = events.Where(e => e.Event.Type is E.DeliveryRouted or E.ShareReleased && e.Event.Subject is { } r && ledger.Delivery(r) is { Sequence: 0, IsOpen: true })
            .Select(e => e.Event.Subject!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in first.Chunk(DeliveryMessage.MaxRecipients))
            sends.Add(Deliveries.SendAsync(DeliveryMessage.FirstAttempts(ledger.IncidentId, chunk), ct));
        foreach (var stored in events)
        {
            var e = stored.Event;
            if (e.Subject is not { } recipient || ledger.Delivery(recipient) is not { } d) continue;
            switch (e.Type)
            {
                case E.AttemptEnded when e.Number("sequence") is { } sequence && sequence == d.Sequence && d.IsOpen:
                case E.MessageRequeued when e.Number("sequence") is { } requeued && requeued == d.Sequence && d.IsOpen:
                    sends.Add(EnqueueAsync(d, ct));
                    break;
                case E.MarkedLate when d.Receipt.Acknowledged is null:
                    sends.Add(Escalations.SendAsync(new EscalationMessage(d.IncidentId, d.RecipientId), ct));
                    break;
            }
        }
        await Task.WhenAll(sends);
    }

    /// <summary>Queues the message for the delivery's current sequence number, visible at its next attempt (never before); it never expires.</summary>
    public Task EnqueueAsync(DeliveryRecord d, CancellationToken ct)
    {
        var delay = (d.Receipt.NextAttemptAt ?? time.GetUtcNow()) - time.GetUtcNow();
        return Deliveries.SendAsync(new DeliveryMessage(d.IncidentId, d.RecipientId, d.Sequence), ct,
            delay > TimeSpan.Zero ? (delay < MaxQueueDelay ? TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds)) : MaxQueueDelay) : null);
    }

    /// <summary>Queues a message for the delivery to come back to after <paramref name="wait"/> (an attempt in progress holds it, or it is early).</summary>
    public Task DeferAsync(DeliveryRecord d, TimeSpan wait, CancellationToken ct) =>
        Deliveries.SendAsync(new DeliveryMessage(d.IncidentId, d.RecipientId, d.Sequence), ct,
            wait > TimeSpan.Zero ? (wait < MaxQueueDelay ? TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)) : MaxQueueDelay) : null);
}
