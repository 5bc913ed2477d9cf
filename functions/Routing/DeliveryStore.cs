using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Routing;
using NotifyHub.Storage;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Timeliness;

namespace NotifyHub.Routing;

/// <summary>
/// One delivery as the incident's status shows it: who, why, and its receipt — status, channel, attempts, when it was
/// delivered and acknowledged and the acknowledging role (never the person's name), or why it failed.
/// </summary>
public sealed record DeliverySummary(string NotificationId, string RecipientId, string RecipientType, string RecipientName, string Rule, string Status,
    IReadOnlyList<int> Children, int PriorIncidentsLast12Months, string? Channel, int Attempts, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedByRole, string? FailureReason, IReadOnlyList<AttemptSummary> AttemptLog,
    DateTimeOffset? DueAt = null, string? DueRule = null, bool? DueGuessed = null, DateTimeOffset? LateAt = null, long? LateBySeconds = null);

/// <summary>One attempt as the force and the recipient see it: when, on which channel, how it ended — never the receiver's response or the SMTP reply.</summary>
public sealed record AttemptSummary(int Number, string Channel, DateTimeOffset StartedAt, long DurationMs, string Outcome, int? HttpStatus, string? ErrorClass)
{
    public static AttemptSummary Of(AttemptRecord a) => new(a.Number, a.Channel, a.StartedAt, a.DurationMs, a.Outcome, a.HttpStatus, a.ErrorClass);
}

/// <summary>One delivery routing is about to write: who, what they may see, and when it is due.</summary>
public sealed record PlannedWrite(PlannedDelivery Delivery, DeliveryContent Content, DueTime Due);

/// <summary>One share that could not be routed, and why.</summary>
public sealed record UnroutedSummary(string Rule, string RecipientType, int? Child, int? Adult, string Reason, string Description);

/// <summary>
/// Deliveries and unrouted shares. Table <c>Deliveries</c>: partition = incident id, row = recipient
/// id (one delivery per recipient per incident), holding the recipient's projected content.
/// Table <c>RecipientDeliveries</c>: partition = recipient id, row = <see cref="InboxKeys.RowKey"/> of the incident id
/// (newest first) — the recipient's side of the same fact, its inbox. Each delivery is listed in <c>OpenDeliveries</c>
/// before its first message is queued, so a lost message is found by reconciliation. Table <c>UnroutedShares</c>: partition = incident id. Rows are added,
/// never replaced, so re-routing the same incident neither duplicates a delivery nor resets its progress.
/// </summary>
public sealed class DeliveryStore(TableServiceClient tables, QueueServiceClient queues, ReceiptStore receipts, SlaStore sla, RollupStore rollups, TimeProvider time)
{
    private TableClient Deliveries => tables.GetTableClient(StorageNames.DeliveriesTable);
    private TableClient ByRecipient => tables.GetTableClient(StorageNames.RecipientDeliveriesTable);
    private TableClient Unrouted => tables.GetTableClient(StorageNames.UnroutedSharesTable);
    private QueueClient Queue => queues.GetQueueClient(StorageNames.DeliveriesQueue);

    /// <summary>
    /// Writes the deliveries and unrouted shares of a routing decision, each with the incident's timeliness facts and, for a
    /// delivery, its due time; indexes the due times first (an index entry whose delivery is not written yet is skipped by
    /// the monitor), and records every share in the rollups last, from the rows as stored.
    /// </summary>
    public async Task WriteAsync(string incidentId, RoutingDecision decision, IReadOnlyList<PlannedWrite> planned, ShareFactRows.IncidentFacts facts,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = new List<TableEntity>();
        await sla.IndexAsync(planned.Select(p => SlaStore.IndexRow(incidentId, p.Delivery.Recipient.Id, p.Due.At.ToDateTimeOffset(),
            SlaStore.JudgeAt(p.Due.At.ToDateTimeOffset(), now))), cancellationToken);
        foreach (var (delivery, content, due) in planned)
        {
            var recipient = delivery.Recipient;
            await AddIfAbsentAsync(ByRecipient, new TableEntity(recipient.Id, InboxKeys.RowKey(incidentId))
            {
                ["RecipientType"] = delivery.RecipientType,
                ["Rule"] = delivery.Rule,
                ["CreatedAt"] = now,
                ["Status"] = DeliveryStatus.Pending,
            }, cancellationToken);
            var row = new TableEntity(incidentId, recipient.Id)
            {
                ["RecipientType"] = delivery.RecipientType,
                ["RecipientName"] = recipient.Name,
                ["Rule"] = delivery.Rule,
                ["Children"] = string.Join(',', delivery.ChildIndexes),
                ["Adults"] = string.Join(',', delivery.AdultIndexes),
                ["PriorIncidents"] = content.PriorIncidentsLast12Months ?? 0,
                ["ForceCode"] = content.ForceCode,
                ["IncidentReference"] = content.IncidentReference,
                ["Status"] = DeliveryStatus.Pending,
                ["CreatedAt"] = now,
                ["NextAttemptAt"] = now,
                ["Sequence"] = 0,
                ["DueAt"] = due.At.ToDateTimeOffset(),
                ["DueRule"] = due.Rule.ToString(),
                ["DueGuessed"] = due.Guessed,
            };
            ShareFactRows.Write(row, facts);
            LargeBinary.Write(row, "Content", content.ToJson());
            rows.Add(row);
        }
        await AddAllIfAbsentAsync(Deliveries, rows, cancellationToken);
        var unrouted = new List<TableEntity>();
        foreach (var share in decision.Unrouted)
        {
            var row = new TableEntity(incidentId, $"{share.Rule}|{share.RecipientType}|c{share.ChildIndex}|a{share.AdultIndex}")
            {
                ["Rule"] = share.Rule,
                ["RecipientType"] = share.RecipientType,
                ["Child"] = share.ChildIndex,
                ["Adult"] = share.AdultIndex,
                ["Reason"] = share.Reason,
                ["Description"] = share.Description,
                ["CreatedAt"] = now,
                ["Resolved"] = false,
            };
            ShareFactRows.Write(row, facts);
            unrouted.Add(row);
        }
        // The incident's unrouted shares share its partition: one transaction, or one by one if a retried routing wrote some.
        await AddAllIfAbsentAsync(Unrouted, unrouted, cancellationToken);
        await rollups.RecordAsync(rows.Select(r => ShareFactRows.FromDelivery(r)).Concat(unrouted.Select(ShareFactRows.FromUnrouted)).OfType<ShareFact>(), cancellationToken,
            onlyIfAbsent: true);
    }

    /// <summary>
    /// Lists each delivery as open, then sends the message for their first attempts: one for the incident (one per
    /// <see cref="DeliveryMessage.MaxRecipients"/> recipients). Sending again after a crash is harmless: delivery checks
    /// each receipt and its sequence number first.
    /// </summary>
    public async Task EnqueueAsync(string incidentId, IEnumerable<PlannedDelivery> deliveries, CancellationToken cancellationToken)
    {
        var recipients = deliveries.Select(d => d.Recipient.Id).Distinct(StringComparer.Ordinal).ToList();
        await receipts.OpenAsync(incidentId, recipients, cancellationToken);
        foreach (var chunk in recipients.Chunk(DeliveryMessage.MaxRecipients))
        {
            await Queue.SendAsync(DeliveryMessage.FirstAttempts(incidentId, chunk), cancellationToken);
        }
    }

    /// <summary>Every delivery of an incident with its receipt and attempt log: one partition query, the attempts being rows beside their delivery.</summary>
    public async Task<IReadOnlyList<DeliverySummary>> ForIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = new List<TableEntity>();
        await foreach (var row in Deliveries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}"),
            cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        var attempts = rows.Where(r => ReceiptStore.IsAttemptRow(r.RowKey)).Select(r => (Recipient: r.RowKey[..r.RowKey.IndexOf('|')], Attempt: ReceiptStore.ReadAttempt(r)))
            .ToLookup(a => a.Recipient, a => AttemptSummary.Of(a.Attempt));
        return rows.Where(r => !ReceiptStore.IsAttemptRow(r.RowKey)).Select(row =>
        {
            var receipt = ReceiptStore.Read(row).Receipt;
            return new DeliverySummary(NotificationId.Format(incidentId, row.RowKey), row.RowKey, row.GetString("RecipientType"), row.GetString("RecipientName"),
                row.GetString("Rule"), receipt.Status, Indexes(row.GetString("Children")), row.GetInt32("PriorIncidents") ?? 0,
                receipt.Channels.Count > 0 ? receipt.Channel : null, receipt.Attempts, receipt.NextAttemptAt, receipt.DeliveredAt, receipt.Acknowledged?.At,
                receipt.Acknowledged?.Role, receipt.FailureReason, attempts[row.RowKey].OrderBy(a => a.Number).ToList(),
                row.GetDateTimeOffset("DueAt"), row.GetString("DueRule"), row.GetBoolean("DueGuessed"), row.GetDateTimeOffset("LateAt"),
                LateBy(row.GetDateTimeOffset("DueAt"), receipt.Acknowledged?.At, now));
        }).ToList();
    }

    public async Task<IReadOnlyList<UnroutedSummary>> UnroutedForIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        var list = new List<UnroutedSummary>();
        await foreach (var row in Unrouted.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}"),
            cancellationToken: cancellationToken))
        {
            list.Add(new UnroutedSummary(row.GetString("Rule"), row.GetString("RecipientType"), row.GetInt32("Child"), row.GetInt32("Adult"),
                row.GetString("Reason"), row.GetString("Description")));
        }
        return list;
    }

    /// <summary>The projected content stored for one delivery.</summary>
    public async Task<BinaryData?> ContentAsync(string incidentId, string recipientId, CancellationToken cancellationToken)
    {
        var row = await Deliveries.GetEntityIfExistsAsync<TableEntity>(incidentId, recipientId, cancellationToken: cancellationToken);
        return row.HasValue && LargeBinary.Read(row.Value!, "Content") is { } content ? new BinaryData(content) : null;
    }

    /// <summary>
    /// Removes the projected content (the personal data) of every delivery of the incident, keeping recipient,
    /// rule, status and times. Answers how many deliveries it purged; safe to repeat.
    /// </summary>
    public async Task<int> PurgeContentAsync(string incidentId, CancellationToken cancellationToken)
    {
        var purged = 0;
        await foreach (var row in Deliveries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}"), cancellationToken: cancellationToken))
        {
            if (await PurgeRowAsync(row, cancellationToken)) purged++;
        }
        return purged;
    }

    /// <summary>Removes one row's content; a delivery attempt may change the row meanwhile, so a conflict reads it again.</summary>
    private async Task<bool> PurgeRowAsync(TableEntity row, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            var content = row.Keys.Where(k => k.StartsWith("Content", StringComparison.Ordinal)).ToList();
            if (content.Count == 0) return false;
            foreach (var key in content) row.Remove(key);
            row["ContentPurgedAt"] = time.GetUtcNow();
            try
            {
                await Deliveries.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412 && tries < 10)
            {
                row = (await Deliveries.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken)).Value;
            }
        }
    }

    /// <summary>How late a share is or was: acknowledged after its due time, or not acknowledged and past it ("late by 3 h 10 min").</summary>
    public static long? LateBy(DateTimeOffset? dueAt, DateTimeOffset? acknowledgedAt, DateTimeOffset now) =>
        dueAt is { } due && (acknowledgedAt ?? now) is var end && end > due ? (long)(end - due).TotalSeconds : null;

    private static IReadOnlyList<int> Indexes(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',').Select(int.Parse).ToArray();

    /// <summary>
    /// Adds the rows of one partition in one transaction (at most 100); if any is already there — written by an earlier
    /// attempt at routing this incident — each is added on its own if absent, keeping what exists.
    /// </summary>
    private static async Task AddAllIfAbsentAsync(TableClient table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            try
            {
                if (chunk.Length == 1) await AddIfAbsentAsync(table, chunk[0], cancellationToken);
                else await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                foreach (var row in chunk) await AddIfAbsentAsync(table, row, cancellationToken);
            }
        }
    }

    private static async Task AddIfAbsentAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written by an earlier attempt at routing this incident: keep it, with whatever progress it has.
        }
    }
}
