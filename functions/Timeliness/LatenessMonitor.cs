using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Ledger;
using NotifyHub.Telemetry;

namespace NotifyHub.Timeliness;

/// <summary>What one run of the monitor did.</summary>
/// <param name="Due">Deliveries awaiting judgement whose due time had passed.</param>
/// <param name="OnTime">Of those, acknowledged by their due time (the view had not caught up yet).</param>
/// <param name="MarkedLate">Marked late by this run (each once, whoever else runs at the same time).</param>
/// <param name="Escalated">Of those, not acknowledged: their escalation is queued as the change is applied.</param>
/// <param name="Skipped">Already judged (by another run, or before its view caught up).</param>
public sealed record MonitorRun(DateTimeOffset AsOf, int Due, int OnTime, int MarkedLate, int Escalated, int Skipped);

/// <summary>The message on the <c>escalations</c> queue: keys only.</summary>
public sealed record EscalationMessage(string IncidentId, string RecipientId);

/// <summary>
/// Finds the deliveries whose due time has passed without an acknowledgement — reading only those still awaiting
/// judgement, from the awaiting view — and marks each late on its incident's ledger (<see cref="DeliveryChanges.MarkLate"/>); a late
/// front-door review's share is released in the same change where its area so chose (<see cref="FrontDoorChanges.AutoRelease"/>).
/// Applying that takes it off the awaiting view, puts it on the open late list and queues its escalation. Marking is a
/// decision on what is stored, so two runs at once (the timer and the admin endpoint) mark each share once and queue one
/// escalation; a crash part-way leaves the rest awaiting, for the next run.
/// </summary>
public sealed class LatenessMonitor(SlaStore sla, LedgerWriter writer, Projector projector, HubMetrics metrics, TimeProvider time,
    ILogger<LatenessMonitor> logger)
{
    /// <summary>The most deliveries one run judges; the next run goes on from there.</summary>
    public const int MaxPerRun = 5000;

    /// <param name="asOf">Development only: the clock to judge by (the README's demo).</param>
    /// <param name="request">
    /// Run for an HTTP request (the admin endpoint), which nobody retries if it dies: each commit is noted for ProjectLedger
    /// first, as every request's is. The timer's run needs no note: the next run finds what this one left.
    /// </param>
    public async Task<MonitorRun> RunAsync(DateTimeOffset? asOf, CancellationToken ct, bool request = false)
    {
        var now = asOf ?? time.GetUtcNow();
        var due = await sla.DueAsync(now, MaxPerRun, ct);
        int onTime = 0, late = 0, escalated = 0, skipped = 0;
        foreach (var incident in due.GroupBy(e => e.IncidentId))
        {
            var recipients = incident.Select(e => e.RecipientId).Distinct(StringComparer.Ordinal).ToList();
            var committed = await writer.ChangeAsync(incident.Key, LedgerParts.None, null, current =>
            {
                var write = new LedgerWrite();
                foreach (var r in recipients)
                {
                    if (current.Delivery(r) is not { } d) continue;
                    var marked = DeliveryChanges.MarkLate(d, now);
                    write.Add(marked);
                    // A front-door review late: where the area chose so, its share goes on to its recipient now, not reviewed.
                    if (marked.Changed && d.Kind == DeliveryKinds.RelayReview && d.Regarding is { } shareKey && current.Delivery(shareKey) is { } share)
                    {
                        var (review, released) = FrontDoorChanges.AutoRelease(marked.Record, share, now, time.GetUtcNow());
                        write.Add(review).Add(released);
                    }
                }
                return write;
            }, request ? LedgerWriter.Options.Request : LedgerWriter.Options.Retried, ct);
            var marked = committed.After.Deliveries.Values.Where(d => recipients.Contains(d.RecipientId) && committed.Before.Delivery(d.RecipientId)?.LateAt is null
                && d.LateAt is not null).ToList();
            foreach (var d in marked)
            {
                late++;
                if (d.Receipt.Acknowledged is null) escalated++;
                TimelinessLog.Late(logger, d);
                metrics.ShareLate(d.RecipientType);
            }
            var unmarked = recipients.Where(r => marked.All(m => m.RecipientId != r)).ToList();
            onTime += unmarked.Count(r => committed.After.Delivery(r) is { } d && d.Receipt.Acknowledged is { } ack && ack.At <= d.DueAt);
            skipped += unmarked.Count(r => !(committed.After.Delivery(r) is { } d && d.Receipt.Acknowledged is { } ack && ack.At <= d.DueAt));
            // Listed as awaiting but already judged: its view is behind what is stored; bring it up to date.
            if (unmarked.Count > 0 && committed.Events.Count == 0 && !committed.Before.Lagging) await projector.CatchUpAsync(incident.Key, unmarked, false, ct);
        }
        TimelinessLog.Monitored(logger, now, due.Count, late, escalated);
        return new MonitorRun(now, due.Count, onTime, late, escalated, skipped);
    }
}
