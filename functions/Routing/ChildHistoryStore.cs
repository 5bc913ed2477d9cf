using Azure.Data.Tables;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Routing;
using NotifyHub.Storage;

namespace NotifyHub.Routing;

/// <summary>One child of an incident in the hub's history: its strongest pseudonymous key (an HMAC, never a name) and its counts.</summary>
public sealed record ChildRecord(int ChildIndex, string Key, int PriorLast12Months, int IncidentsLast90Days);

/// <summary>
/// Cumulative risk: table <c>ChildHistory</c>, partition = a child identity key (an HMAC, never an
/// identifier in clear), row = incident id, with the incident's time. Recording is an upsert, so a
/// retried routing counts the incident once.
/// </summary>
public sealed class ChildHistoryStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(StorageNames.ChildHistoryTable);

    /// <summary>
    /// Records the incident against each child and answers, per child, its history: how many earlier incidents in the last
    /// 12 months, and how many incidents (this one included) in the last 90 days, under which pseudonymous key.
    /// </summary>
    public async Task<ChildRecord[]> RecordAsync(string incidentId, Incident incident, byte[] hmacKey, CancellationToken cancellationToken)
    {
        var counts = new ChildRecord[incident.Children.Count];
        for (var i = 0; i < incident.Children.Count; i++)
        {
            var keys = ChildIdentity.Keys(incident.Children[i], incident.ForceCode, hmacKey);
            var earlier = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                await Table.UpsertEntityAsync(new TableEntity(key, incidentId) { ["OccurredAt"] = incident.OccurredAt }, TableUpdateMode.Replace, cancellationToken);
                // Only the window can count; RiskHistory.CountPrior draws its exact edge.
                var from = incident.OccurredAt.AddYears(-1).AddDays(-1);
                await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key} and OccurredAt ge {from}"),
                    select: ["RowKey", "OccurredAt"], cancellationToken: cancellationToken))
                {
                    if (row.RowKey != incidentId && row.GetDateTimeOffset("OccurredAt") is { } at) earlier[row.RowKey] = at;
                }
            }
            counts[i] = new ChildRecord(i, keys[0], RiskHistory.CountPrior(earlier.Values, incident.OccurredAt),
                RiskHistory.CountInRepeatWindow(earlier.Values, incident.OccurredAt));
        }
        return counts;
    }

    /// <summary>Removes every record of an incident that occurred before <paramref name="cutoff"/>. Answers how many.</summary>
    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"OccurredAt lt {cutoff}"),
            select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
            removed++;
        }
        return removed;
    }
}
