using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Domain.Incidents;
using NotifyHub.Storage;

namespace NotifyHub.Incidents;

public enum StoreResult { Created, Duplicate, Conflict }

public sealed record StoreOutcome(StoreResult Result, string IncidentId);

public sealed record IncidentStatus(
    string IncidentId, string ForceCode, string IncidentReference, string Status,
    DateTimeOffset ReceivedAt, DateTimeOffset? RoutedAt, string RiskLevel, int ChildCount);

public sealed record StoredIncident(string IncidentId, string Status, Incident Incident)
{
    public bool IsRouted => Status == "routed";
}

/// <summary>The message on the <c>incidents</c> queue: keys only, never personal data.</summary>
public sealed record IncidentQueued(string IncidentId, string ForceCode, string IncidentReference);

/// <summary>
/// Incidents in Table Storage. Partition = force code; in it, row <c>i:{reference}</c> is the incident
/// and row <c>o:{reference}</c> its outbox entry, written in one transaction. The outbox row means
/// "stored, not yet known to be on the queue": it is deleted once the message is sent, and the
/// sweep re-sends whatever outbox rows are left, so a crash between store and enqueue loses nothing.
/// </summary>
public sealed class IncidentStore(TableServiceClient tables, QueueServiceClient queues, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageNames.IncidentsTable);
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
            ["Status"] = "received",
        };
        LargeBinary.Write(row, "Payload", canonical);

        var outbox = new TableEntity(incident.ForceCode, OutboxRow(incident.IncidentReference))
        {
            ["IncidentId"] = incidentId,
            ["ReceivedAt"] = now,
        };

        try
        {
            await Table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, outbox)],
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

    /// <summary>Sends the incident to the router, then clears its outbox row.</summary>
    public async Task EnqueueAsync(IncidentQueued message, CancellationToken cancellationToken)
    {
        await Queue.SendMessageAsync(BinaryData.FromObjectAsJson(message, QueueJson.Options), cancellationToken: cancellationToken);
        try
        {
            await Table.DeleteEntityAsync(message.ForceCode, OutboxRow(message.IncidentReference), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Another sender cleared it first.
        }
    }

    /// <summary>A stored incident with its id and status, or null when there is none.</summary>
    public async Task<StoredIncident?> LoadAsync(string forceCode, string reference, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(forceCode, IncidentRow(reference), cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var payload = LargeBinary.Read(row.Value!, "Payload") ?? throw new InvalidDataException("A stored incident has no payload.");
        return new StoredIncident(row.Value!.GetString("IncidentId"), row.Value.GetString("Status"), IncidentJson.Deserialize(payload));
    }

    /// <summary>Marks the incident routed and clears any outbox row left by a crash: the sweep has nothing more to do for it.</summary>
    public async Task MarkRoutedAsync(string forceCode, string reference, int deliveries, int unrouted, CancellationToken cancellationToken)
    {
        await Table.UpdateEntityAsync(new TableEntity(forceCode, IncidentRow(reference))
        {
            ["Status"] = "routed",
            ["RoutedAt"] = time.GetUtcNow(),
            ["DeliveryCount"] = deliveries,
            ["UnroutedCount"] = unrouted,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        try
        {
            await Table.DeleteEntityAsync(forceCode, OutboxRow(reference), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The usual case: cleared when the message was sent.
        }
    }

    public async Task<IncidentStatus?> GetStatusAsync(string forceCode, string reference, CancellationToken cancellationToken)
    {
        var incidentRow = IncidentRow(reference);
        var outboxRow = OutboxRow(reference);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {forceCode} and (RowKey eq {incidentRow} or RowKey eq {outboxRow})");
        TableEntity? incident = null;
        var inOutbox = false;
        await foreach (var row in Table.QueryAsync<TableEntity>(filter,
            select: ["RowKey", "IncidentId", "ReceivedAt", "RoutedAt", "RiskLevel", "ChildCount", "Status"], cancellationToken: cancellationToken))
        {
            if (row.RowKey == incidentRow) incident = row;
            else inOutbox = true;
        }
        if (incident is null) return null;
        var status = incident.GetString("Status");
        if (status == "received" && !inOutbox) status = "queued";
        return new IncidentStatus(incident.GetString("IncidentId"), forceCode, reference, status,
            incident.GetDateTimeOffset("ReceivedAt")!.Value, incident.GetDateTimeOffset("RoutedAt"), incident.GetString("RiskLevel"), incident.GetInt32("ChildCount") ?? 0);
    }

    /// <summary>Outbox rows of one force older than <paramref name="olderThan"/>: incidents stored but not known to be queued.</summary>
    public async IAsyncEnumerable<IncidentQueued> UnqueuedAsync(string forceCode, DateTimeOffset olderThan,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = OutboxRow("");
        var to = "o;"; // ';' sorts just after ':'
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {forceCode} and RowKey ge {from} and RowKey lt {to} and ReceivedAt lt {olderThan}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "IncidentId"], cancellationToken: cancellationToken))
        {
            yield return new IncidentQueued(row.GetString("IncidentId"), forceCode, row.RowKey[2..]);
        }
    }

    private static string IncidentRow(string reference) => "i:" + reference;
    private static string OutboxRow(string reference) => "o:" + reference;
}
