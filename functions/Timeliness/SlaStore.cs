using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>A delivery awaiting judgement whose due time has passed, as the awaiting view lists it.</summary>
public sealed record DueEntry(string IncidentId, string RecipientId, DateTimeOffset DueAt);

/// <summary>A late share on the open late list: ids and codes only.</summary>
public sealed record LateShare(string NotificationId, string IncidentId, string RecipientId, string RecipientType, string RecipientName, string ForceCode,
    string? IncidentReference, string La, DateTimeOffset DueAt, DateTimeOffset LateAt, string Kind = Domain.Delivery.DeliveryKinds.Incident);

/// <summary>
/// What <c>SlaMonitor</c>, the late list and health read of the lateness views (<see cref="LatenessViews"/>): the deliveries
/// awaiting judgement whose due time has passed — one range query, however many deliveries the hub has ever made, since
/// each leaves the view once judged — and the open late list.
/// </summary>
public sealed class SlaStore(TableServiceClient tables)
{
    private TableClient Index => tables.GetTableClient(StorageNames.DueIndexTable);
    private TableClient Late => tables.GetTableClient(StorageNames.LateSharesTable);

    /// <summary>Deliveries awaiting judgement due at or before <paramref name="asOf"/>, in due order (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<DueEntry>> DueAsync(DateTimeOffset asOf, int limit, CancellationToken ct)
    {
        var entries = new List<DueEntry>();
        // '~' sorts after '|', so every row stamped at or before asOf is below the bound.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {LatenessViews.AwaitingPartition} and RowKey lt {LatenessViews.Stamp(asOf) + "~"}");
        await foreach (var row in Index.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["IncidentId", "RecipientId", "DueAt"], cancellationToken: ct))
        {
            entries.Add(new DueEntry(row.GetString("IncidentId"), row.GetString("RecipientId"), row.GetDateTimeOffset("DueAt")!.Value));
            if (entries.Count >= limit) break;
        }
        return entries;
    }

    /// <summary>Every open late share (the list stays short: a share leaves it when acknowledged).</summary>
    public async IAsyncEnumerable<LateShare> OpenLateAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in Late.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {LatenessViews.LatePartition}"), cancellationToken: ct))
        {
            yield return new LateShare(row.RowKey, row.GetString("IncidentId"), row.GetString("RecipientId"), row.GetString("RecipientType"),
                row.GetString("RecipientName") ?? "", row.GetString("ForceCode") ?? "", row.GetString("IncidentReference"), row.GetString("La") ?? "",
                row.GetDateTimeOffset("DueAt")!.Value, row.GetDateTimeOffset("LateAt")!.Value, row.GetString("Kind") ?? Domain.Delivery.DeliveryKinds.Incident);
        }
    }
}
