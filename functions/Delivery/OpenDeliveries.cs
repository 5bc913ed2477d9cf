using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;
using NotifyHub.Storage;

namespace NotifyHub.Delivery;

/// <summary>What reconciliation and health read of the open and failed views (<see cref="DeliveryViews"/>).</summary>
public sealed class OpenDeliveries(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(StorageNames.OpenDeliveriesTable);

    /// <summary>Open deliveries whose next attempt was due before <paramref name="before"/>: a filtered read of one partition.</summary>
    public async Task<IReadOnlyList<(string IncidentId, string RecipientId)>> OverdueAsync(DateTimeOffset before, CancellationToken ct, int limit = 5000)
    {
        var list = new List<(string, string)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DeliveryViews.OpenPartition} and NextAttemptAt lt {before}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            if (NotificationId.TryParse(row.RowKey, out var incidentId, out var recipientId)) list.Add((incidentId, recipientId));
            if (list.Count >= limit) break;
        }
        return list;
    }

    /// <summary>Deliveries that failed on every channel and have not been recovered since (at most <paramref name="limit"/> counted).</summary>
    public async Task<int> FailedCountAsync(int limit, CancellationToken ct)
    {
        var count = 0;
        await foreach (var _ in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DeliveryViews.FailedPartition}"), select: ["RowKey"],
            cancellationToken: ct))
        {
            if (++count >= limit) break;
        }
        return count;
    }
}
