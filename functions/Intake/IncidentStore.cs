using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Domain.Incidents;
using NotifyHub.Storage;

namespace NotifyHub.Incidents;

public enum StoreResult { Created, Duplicate, Conflict }

public sealed record StoreOutcome(StoreResult Result, string IncidentId);

/// <summary>Where an incident is: <c>queued</c> (accepted, waiting to be routed), <c>routed</c>, or <c>stuck</c> (given up on; see the admin API).</summary>
public static class IncidentStatuses
{
    public const string Queued = "queued";
    public const string Routed = "routed";
    public const string Stuck = "stuck";
}

public sealed record IncidentStatus(
    string IncidentId, string ForceCode, string IncidentReference, string Status,
    DateTimeOffset ReceivedAt, DateTimeOffset? RoutedAt, string RiskLevel, int ChildCount, string? StuckReason);

/// <summary>
/// A stored incident as routing reads it: its row's ETag, its state, and any routing decision already recorded.
/// <see cref="Incident"/> is null only once a routed incident's personal data has been purged.
/// </summary>
public sealed record StoredIncident(
    string IncidentId, string ForceCode, string IncidentReference, string State, Incident? Incident, ETag ETag, DateTimeOffset? ClaimedUntil, byte[]? Decision)
{
    /// <summary>When the hub received (stored) the incident.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public bool IsRouted => State == IncidentStatuses.Routed;
    public bool IsStuck => State == IncidentStatuses.Stuck;
}

/// <summary>An incident accepted but not yet routed: its pending row, with how often it has been re-queued.</summary>
public sealed record PendingIncident(string IncidentId, string ForceCode, string IncidentReference, DateTimeOffset ReceivedAt,
    DateTimeOffset LastQueuedAt, int Requeues, ETag ETag)
{
    public IncidentQueued Message => new(IncidentId, ForceCode, IncidentReference);
}

/// <summary>A routed incident whose personal data is still held: its row on the retention list.</summary>
public sealed record RetainedIncident(string IncidentId, string ForceCode, string IncidentReference, string RetentionRow);

/// <summary>The message on the <c>incidents</c> queue: keys only, never personal data.</summary>
public sealed record IncidentQueued(string IncidentId, string ForceCode, string IncidentReference);

/// <summary>
/// Incidents in Table Storage. Partition = force code; in it, row <c>i:{reference}</c> is the incident and
/// row <c>p:{reference}</c> says "accepted, not yet routed". Both are written in one transaction before the
/// incident is acknowledged; the pending row goes only in the transaction that records the incident routed
/// (or stuck). Routing also adds row <c>r:{routedAt}:{reference}</c>, the retention list the personal-data purge
/// works through. So the stored state is the truth: whatever happens to queue messages — lost, poisoned,
/// expired, deleted — <c>ReconcileIncidents</c> finds every pending row, re-queues it a bounded number of
/// times, and then marks the incident stuck for an operator, never silently dropping it.
/// </summary>
public sealed class IncidentStore(TableServiceClient tables, QueueServiceClient queues, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageNames.IncidentsTable);
    private TableClient StuckTable => tables.GetTableClient(StorageNames.StuckIncidentsTable);
    private QueueClient Queue => queues.GetQueueClient(StorageNames.IncidentsQueue);

    public async Task<StoreOutcome> StoreAsync(Incident incident, string submittedBy, CancellationToken cancellationToken)
    {
        var canonical = IncidentJson.Serialize(incident);
        var fingerprint = IncidentJson.Fingerprint(canonical);
        var incidentId = "inc_" + Guid.CreateVersion7().ToString("N");
        var now = time.GetUtcNow();

        var row = new TableEntity(incident.ForceCode, IncidentRow(incident.IncidentReference))
        {
            ["IncidentId"] = incidentId,
            ["Fingerprint"] = fingerprint,
            ["ReceivedAt"] = now,
            ["SubmittedBy"] = submittedBy,
            ["RiskLevel"] = incident.RiskLevel.ToString().ToLowerInvariant(),
            ["ChildCount"] = incident.Children.Count,
            ["Status"] = IncidentStatuses.Queued,
        };
        LargeBinary.Write(row, "Payload", canonical);

        var pending = new TableEntity(incident.ForceCode, PendingRow(incident.IncidentReference))
        {
            ["IncidentId"] = incidentId,
            ["ReceivedAt"] = now,
            ["LastQueuedAt"] = now,
            ["Requeues"] = 0,
        };

        try
        {
            await Table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, pending)],
                cancellationToken);
            return new StoreOutcome(StoreResult.Created, incidentId);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Already there: a retry, a concurrent duplicate, or a different incident under the same reference.
            var existing = await Table.GetEntityAsync<TableEntity>(incident.ForceCode, IncidentRow(incident.IncidentReference),
                select: ["IncidentId", "Fingerprint"], cancellationToken);
            var sameIncident = existing.Value.GetString("Fingerprint") == fingerprint;
            return new StoreOutcome(sameIncident ? StoreResult.Duplicate : StoreResult.Conflict, existing.Value.GetString("IncidentId"));
        }
    }

    /// <summary>Puts the incident on the routing queue. Sending twice is harmless: routing claims the incident first.</summary>
    public Task EnqueueAsync(IncidentQueued message, CancellationToken cancellationToken) => Queue.SendAsync(message, cancellationToken);

    /// <summary>A stored incident with its ETag, state and any recorded routing decision, or null when there is none.</summary>
    public async Task<StoredIncident?> LoadAsync(string forceCode, string reference, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(forceCode, IncidentRow(reference), cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var e = row.Value!;
        var status = e.GetString("Status");
        var payload = LargeBinary.Read(e, "Payload");
        if (payload is null && status != IncidentStatuses.Routed) throw new InvalidDataException("A stored incident that is not routed has no payload.");
        return new StoredIncident(e.GetString("IncidentId"), forceCode, reference, status, payload is null ? null : IncidentJson.Deserialize(payload), e.ETag,
            e.GetDateTimeOffset("ClaimedUntil"), LargeBinary.Read(e, "Decision"))
        {
            ReceivedAt = e.GetDateTimeOffset("ReceivedAt") ?? default,
        };
    }

    /// <summary>
    /// Claims the incident for one routing attempt until <paramref name="until"/>, recording <paramref name="decision"/>
    /// (once recorded, it is the decision that stands). Conditional on the ETag read: null when another attempt
    /// changed or claimed it first. Returns the new ETag.
    /// </summary>
    public async Task<ETag?> ClaimAsync(StoredIncident stored, DateTimeOffset until, byte[] decision, CancellationToken cancellationToken)
    {
        var update = new TableEntity(stored.ForceCode, IncidentRow(stored.IncidentReference)) { ["ClaimedUntil"] = until };
        if (stored.Decision is null) LargeBinary.Write(update, "Decision", decision);
        try
        {
            var response = await Table.UpdateEntityAsync(update, stored.ETag, TableUpdateMode.Merge, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Ends a failed attempt's claim at once, so the host's retry of the message need not wait for it to lapse.
    /// Best effort: if it fails too, the claim lapses by itself.
    /// </summary>
    public async Task ReleaseClaimAsync(StoredIncident stored, ETag claim)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Table.UpdateEntityAsync(new TableEntity(stored.ForceCode, IncidentRow(stored.IncidentReference))
            {
                ["ClaimedUntil"] = time.GetUtcNow(),
            }, claim, TableUpdateMode.Merge, timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            // It lapses by itself.
        }
    }

    /// <summary>
    /// Records the incident routed and removes its pending row, in one transaction (an incident given up on and
    /// then routed after all may have none); a stuck incident also leaves the stuck listing. False when the
    /// claim was lost to another attempt.
    /// </summary>
    public async Task<bool> MarkRoutedAsync(StoredIncident stored, ETag claim, int deliveries, int unrouted, CancellationToken cancellationToken)
    {
        var (force, reference) = (stored.ForceCode, stored.IncidentReference);
        var routed = new TableEntity(force, IncidentRow(reference))
        {
            ["Status"] = IncidentStatuses.Routed,
            ["RoutedAt"] = time.GetUtcNow(),
            ["DeliveryCount"] = deliveries,
            ["UnroutedCount"] = unrouted,
            ["ClaimedUntil"] = time.GetUtcNow(), // the claim ends with the attempt (a null would not be written)
        };
        // On the retention list in the same transaction, so that no routed incident can escape the purge.
        var retention = new TableEntity(force, RetentionRow(time.GetUtcNow(), reference)) { ["IncidentId"] = stored.IncidentId };
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, routed, claim),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(force, PendingRow(reference)), ETag.All),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, retention),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            try
            {
                await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, routed, claim),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, retention),
                ], cancellationToken);
            }
            catch (TableTransactionFailedException lost) when (lost.Status == 412)
            {
                return false;
            }
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            return false;
        }
        if (stored.IsStuck) await StuckTable.DeleteEntityAsync(StuckPartition, stored.IncidentId, ETag.All, cancellationToken);
        return true;
    }

    /// <summary>Routed incidents of one force whose personal data is still held, routed before <paramref name="routedBefore"/>: a range query on the partition.</summary>
    public async IAsyncEnumerable<RetainedIncident> RetainedAsync(string forceCode, DateTimeOffset routedBefore,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var upper = RetentionRow(routedBefore, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {forceCode} and RowKey ge {RetentionPrefix} and RowKey lt {upper}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "IncidentId"], cancellationToken: cancellationToken))
        {
            var reference = row.RowKey[(RetentionPrefix.Length + 22)..];
            yield return new RetainedIncident(row.GetString("IncidentId"), forceCode, reference, row.RowKey);
        }
    }

    /// <summary>
    /// Removes the incident's personal data — the incident as submitted and its fingerprint — keeping the facts
    /// timeliness needs (ids, times, status, risk level, counts, the routing decision), then takes it off the
    /// retention list. Safe to repeat.
    /// </summary>
    public async Task PurgePersonalDataAsync(RetainedIncident retained, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(retained.ForceCode, IncidentRow(retained.IncidentReference), cancellationToken: cancellationToken);
        if (row.HasValue)
        {
            var entity = row.Value!;
            var personal = entity.Keys.Where(k => k == "Fingerprint" || k.StartsWith("Payload", StringComparison.Ordinal)).ToList();
            if (personal.Count > 0)
            {
                foreach (var key in personal) entity.Remove(key);
                entity["PersonalDataPurgedAt"] = time.GetUtcNow();
                await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        await Table.DeleteEntityAsync(retained.ForceCode, retained.RetentionRow, ETag.All, cancellationToken);
    }

    /// <summary>Pending incidents of one force last queued before <paramref name="olderThan"/>: a range query on the partition.</summary>
    public async IAsyncEnumerable<PendingIncident> PendingAsync(string forceCode, DateTimeOffset olderThan,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = PendingRow("");
        var to = "p;"; // ';' sorts just after ':'
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {forceCode} and RowKey ge {from} and RowKey lt {to} and LastQueuedAt lt {olderThan}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "IncidentId", "ReceivedAt", "LastQueuedAt", "Requeues"],
            cancellationToken: cancellationToken))
        {
            yield return new PendingIncident(row.GetString("IncidentId"), forceCode, row.RowKey[2..], row.GetDateTimeOffset("ReceivedAt")!.Value,
                row.GetDateTimeOffset("LastQueuedAt") ?? row.GetDateTimeOffset("ReceivedAt")!.Value, row.GetInt32("Requeues") ?? 0, row.ETag);
        }
    }

    /// <summary>Whether a routing attempt holds the incident now (its claim not yet lapsed): re-queuing it would do nothing.</summary>
    public async Task<bool> ClaimedAsync(PendingIncident pending, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(pending.ForceCode, IncidentRow(pending.IncidentReference), select: ["ClaimedUntil"],
            cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetDateTimeOffset("ClaimedUntil") is { } until && until > time.GetUtcNow();
    }

    /// <summary>
    /// Counts one more re-queue on the pending row (conditional on its ETag, so two reconcilers never both
    /// re-queue it), then sends the message. False when someone else touched the row first.
    /// </summary>
    public async Task<bool> RequeueAsync(PendingIncident pending, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(pending.ForceCode, PendingRow(pending.IncidentReference))
            {
                ["Requeues"] = pending.Requeues + 1,
                ["LastQueuedAt"] = time.GetUtcNow(),
            }, pending.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
        await EnqueueAsync(pending.Message, cancellationToken);
        return true;
    }

    /// <summary>
    /// Gives up on routing an incident: lists it among the stuck (table <c>StuckIncidents</c>) with the reason,
    /// then records it stuck and removes its pending row in one transaction. Never while a routing attempt holds
    /// a claim on it. False when it changed meanwhile (routed, claimed, re-queued).
    /// </summary>
    public async Task<bool> MarkStuckAsync(PendingIncident pending, string reason, CancellationToken cancellationToken)
    {
        var (force, reference) = (pending.ForceCode, pending.IncidentReference);
        var incident = await Table.GetEntityIfExistsAsync<TableEntity>(force, IncidentRow(reference), select: ["Status", "ClaimedUntil"], cancellationToken: cancellationToken);
        if (!incident.HasValue || incident.Value!.GetString("Status") == IncidentStatuses.Routed) return false;
        if (incident.Value.GetDateTimeOffset("ClaimedUntil") is { } claimed && claimed > time.GetUtcNow()) return false;

        var now = time.GetUtcNow();
        await StuckTable.UpsertEntityAsync(new TableEntity(StuckPartition, pending.IncidentId)
        {
            ["ForceCode"] = force,
            ["IncidentReference"] = reference,
            ["Reason"] = reason,
            ["ReceivedAt"] = pending.ReceivedAt,
            ["StuckAt"] = now,
            ["Requeues"] = pending.Requeues,
        }, TableUpdateMode.Replace, cancellationToken);
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                    new TableEntity(force, IncidentRow(reference)) { ["Status"] = IncidentStatuses.Stuck, ["StuckReason"] = reason, ["StuckAt"] = now },
                    incident.Value.ETag),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(force, PendingRow(reference)), pending.ETag),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            // It moved on (routed, or re-queued by another reconciler): not stuck after all.
            await StuckTable.DeleteEntityAsync(StuckPartition, pending.IncidentId, ETag.All, cancellationToken);
            return false;
        }
    }

    /// <summary>Every incident given up on, oldest first within the page order of the table.</summary>
    public async IAsyncEnumerable<StuckIncident> StuckAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in StuckTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StuckPartition}"), cancellationToken: cancellationToken))
        {
            yield return new StuckIncident(row.RowKey, row.GetString("ForceCode"), row.GetString("IncidentReference"), row.GetString("Reason"),
                row.GetDateTimeOffset("ReceivedAt")!.Value, row.GetDateTimeOffset("StuckAt")!.Value, row.GetInt32("Requeues") ?? 0);
        }
    }

    /// <summary>
    /// Puts a stuck incident back to routing once its cause is fixed: a fresh pending row (re-queue count 0)
    /// and a message. The stuck listing goes when it is routed.
    /// </summary>
    public async Task<bool> RetryAsync(string forceCode, string reference, CancellationToken cancellationToken)
    {
        var incident = await Table.GetEntityIfExistsAsync<TableEntity>(forceCode, IncidentRow(reference), select: ["IncidentId", "Status", "ReceivedAt"], cancellationToken: cancellationToken);
        if (!incident.HasValue || incident.Value!.GetString("Status") != IncidentStatuses.Stuck) return false;
        var incidentId = incident.Value.GetString("IncidentId");
        var now = time.GetUtcNow();
        await Table.UpsertEntityAsync(new TableEntity(forceCode, PendingRow(reference))
        {
            ["IncidentId"] = incidentId,
            ["ReceivedAt"] = incident.Value.GetDateTimeOffset("ReceivedAt"),
            ["LastQueuedAt"] = now,
            ["Requeues"] = 0,
        }, TableUpdateMode.Replace, cancellationToken);
        await EnqueueAsync(new IncidentQueued(incidentId, forceCode, reference), cancellationToken);
        return true;
    }

    public async Task<IncidentStatus?> GetStatusAsync(string forceCode, string reference, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(forceCode, IncidentRow(reference),
            select: ["IncidentId", "ReceivedAt", "RoutedAt", "RiskLevel", "ChildCount", "Status", "StuckReason"], cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var incident = row.Value!;
        var status = incident.GetString("Status") switch
        {
            IncidentStatuses.Routed => IncidentStatuses.Routed,
            IncidentStatuses.Stuck => IncidentStatuses.Stuck,
            _ => IncidentStatuses.Queued,
        };
        return new IncidentStatus(incident.GetString("IncidentId"), forceCode, reference, status,
            incident.GetDateTimeOffset("ReceivedAt")!.Value, incident.GetDateTimeOffset("RoutedAt"), incident.GetString("RiskLevel"),
            incident.GetInt32("ChildCount") ?? 0, incident.GetString("StuckReason"));
    }

    private const string StuckPartition = "incident";
    private static string IncidentRow(string reference) => "i:" + reference;
    private static string PendingRow(string reference) => "p:" + reference;
    private const string RetentionPrefix = "r:";

    /// <summary>A retention row sorts by when the incident was routed: <c>r:{yyyyMMddHHmmssfffffff}:{reference}</c>.</summary>
    private static string RetentionRow(DateTimeOffset routedAt, string reference) =>
        RetentionPrefix + routedAt.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", System.Globalization.CultureInfo.InvariantCulture) + ":" + reference;
}

/// <summary>An incident the hub gave up on routing, with why; listed for operators until it is routed.</summary>
public sealed record StuckIncident(string IncidentId, string ForceCode, string IncidentReference, string Reason,
    DateTimeOffset ReceivedAt, DateTimeOffset StuckAt, int Requeues);
