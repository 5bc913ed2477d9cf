using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Timeliness;

/// <summary>What one run of the monitor did.</summary>
public sealed record MonitorRun(DateTimeOffset From, DateTimeOffset Through, int Due, int OnTime, int MarkedLate, int Escalated, int Skipped, bool CheckpointAdvanced);

/// <summary>The message on the <c>escalations</c> queue: keys only.</summary>
public sealed record EscalationMessage(string IncidentId, string RecipientId);

/// <summary>
/// Finds the deliveries whose due time has passed without an acknowledgement — reading only those falling due since
/// the last run, from the due-time index — marks each one late once (<c>LateAt</c> on its row), lists it on the open
/// late list and queues its escalation. Every step is safe to repeat, and the checkpoint moves only after the window is
/// done, so a crash part-way repeats the window rather than skipping it.
/// </summary>
public sealed class LatenessMonitor(SlaStore sla, ReceiptStore receipts, TableServiceClient tables, QueueServiceClient queues,
    IOptions<TimelinessOptions> options, HubMetrics metrics, TimeProvider time, ILogger<LatenessMonitor> logger)
{
    private TableClient Deliveries => tables.GetTableClient(StorageNames.DeliveriesTable);
    private QueueClient Escalations => queues.GetQueueClient(StorageNames.EscalationsQueue);

    /// <param name="asOf">Development only: the clock to judge by (the README's demo). The checkpoint is not moved.</param>
    public async Task<MonitorRun> RunAsync(DateTimeOffset? asOf, CancellationToken ct)
    {
        var now = asOf ?? time.GetUtcNow();
        var (through, etag) = await sla.CheckpointAsync(ct);
        var from = through ?? now - options.Value.MonitorFirstLookBack;
        var to = asOf ?? (now - from > options.Value.MonitorMaxWindow ? from + options.Value.MonitorMaxWindow : now);
        if (to <= from) return new MonitorRun(from, from, 0, 0, 0, 0, 0, false);

        var due = await sla.DueAsync(from, to, ct);
        int onTime = 0, late = 0, escalated = 0, skipped = 0;
        foreach (var entry in due)
        {
            switch (await JudgeAsync(entry, now, ct))
            {
                case Verdict.OnTime: onTime++; break;
                case Verdict.Late: late++; break;
                case Verdict.LateAndEscalated: late++; escalated++; break;
                default: skipped++; break;
            }
        }
        var advanced = asOf is null && await sla.AdvanceAsync(to, etag, time.GetUtcNow(), ct);
        TimelinessLog.Monitored(logger, from, to, due.Count, late, escalated);
        return new MonitorRun(from, to, due.Count, onTime, late, escalated, skipped, advanced);
    }

    private enum Verdict { Skipped, OnTime, Late, LateAndEscalated }

    private async Task<Verdict> JudgeAsync(DueEntry entry, DateTimeOffset now, CancellationToken ct)
    {
        var record = await receipts.LoadAsync(entry.IncidentId, entry.RecipientId, ct);
        // No row: routing writes the index first, and an entry falls due at least a minute after routing (SlaStore.JudgeAt), by
        // when routing has written its rows; or the delivery was routed before due times were recorded.
        if (record?.DueAt is not { } dueAt) return Verdict.Skipped;
        var acknowledged = record.Receipt.Acknowledged?.At;
        if (acknowledged is { } at && at <= dueAt) return Verdict.OnTime;
        if (dueAt > now) return Verdict.Skipped; // the index said due, the row says later: it is judged when that time comes
        var lateAt = record.LateAt ?? now;
        if (record.LateAt is null)
        {
            await Deliveries.UpdateEntityAsync(new TableEntity(entry.IncidentId, entry.RecipientId) { ["LateAt"] = lateAt }, ETag.All, TableUpdateMode.Merge, ct);
            TimelinessLog.Late(logger, record.NotificationId, record.RecipientType, dueAt);
            metrics.ShareLate(record.RecipientType);
        }
        if (acknowledged is not null) return Verdict.Late; // acknowledged after its due time: late, but nobody needs chasing
        await sla.ListLateAsync(new LateShare(record.NotificationId, record.IncidentId, record.RecipientId, record.RecipientType, record.RecipientName,
            record.ForceCode ?? "", record.IncidentReference, record.Row?.GetString("La") ?? "", dueAt, lateAt), ct);
        if (record.Row?.GetDateTimeOffset("EscalationQueuedAt") is not null) return Verdict.Late;
        await Escalations.SendAsync(new EscalationMessage(record.IncidentId, record.RecipientId), ct);
        await Deliveries.UpdateEntityAsync(new TableEntity(entry.IncidentId, entry.RecipientId) { ["EscalationQueuedAt"] = time.GetUtcNow() }, ETag.All,
            TableUpdateMode.Merge, ct);
        return Verdict.LateAndEscalated;
    }
}
