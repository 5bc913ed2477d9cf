using Azure.Data.Tables;
using NotifyHub.Domain.Routing;
using NotifyHub.Routing;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>A child with 3 or more incidents in 90 days, as stored: a pseudonymous key and ids only.</summary>
public sealed record RepeatChild(string La, string ChildKey, int IncidentsLast90Days, string LatestIncidentId, string ForceCode, string IncidentReference,
    int ChildIndex, DateTimeOffset LatestOccurredAt);

/// <summary>
/// Children with 3 or more incidents in 90 days (table <c>RepeatChildren</c>: partition = the incident's LA, row = the
/// child's strongest pseudonymous key, an HMAC). Routing writes a row when a child reaches the threshold, pointing at its
/// latest incident; nothing identifying is stored here — the MASH's list reads the child's name from that incident while
/// its personal data is held, and partnership leads get counts only.
/// </summary>
public sealed class RepeatChildrenStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(StorageNames.RepeatChildrenTable);

    public async Task RecordAsync(string la, string incidentId, string forceCode, string reference, DateTimeOffset occurredAt,
        IEnumerable<ChildRecord> children, CancellationToken ct)
    {
        foreach (var child in children.Where(c => c.IncidentsLast90Days >= RiskHistory.RepeatThreshold))
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(la, child.Key, cancellationToken: ct);
            if (existing.HasValue && existing.Value!.GetDateTimeOffset("LatestOccurredAt") is { } stored && stored > occurredAt) continue; // a later one is there
            await Table.UpsertEntityAsync(new TableEntity(la, child.Key)
            {
                ["IncidentsLast90Days"] = child.IncidentsLast90Days,
                ["LatestIncidentId"] = incidentId,
                ["ForceCode"] = forceCode,
                ["IncidentReference"] = reference,
                ["ChildIndex"] = child.ChildIndex,
                ["LatestOccurredAt"] = occurredAt,
            }, TableUpdateMode.Replace, ct);
        }
    }

    /// <summary>The children of <paramref name="la"/> whose latest incident is within 90 days of <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<RepeatChild>> CurrentAsync(string la, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - RiskHistory.RepeatWindow;
        var list = new List<RepeatChild>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {la} and LatestOccurredAt ge {since}"), cancellationToken: ct))
        {
            list.Add(new RepeatChild(la, row.RowKey, row.GetInt32("IncidentsLast90Days") ?? 0, row.GetString("LatestIncidentId"), row.GetString("ForceCode"),
                row.GetString("IncidentReference"), row.GetInt32("ChildIndex") ?? 0, row.GetDateTimeOffset("LatestOccurredAt")!.Value));
        }
        return list.OrderByDescending(c => c.LatestOccurredAt).ToList();
    }
}
