using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Evidence;

/// <summary>
/// Which incidents' ledgers changed when: table <c>EvidenceChanges</c>, partition the UTC day the projector applied a change,
/// row the incident id, <c>At</c> the time. A projection of the ledger, written by the projector alone (after the views),
/// read by the anchor: the incidents whose chain heads the next anchor signs. Applying twice or late writes a later time,
/// which at worst puts an incident in one more anchor; a rebuild notes every incident again.
/// </summary>
public sealed class EvidenceChanges(TableServiceClient tables, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageNames.EvidenceChangesTable);

    public async Task NoteAsync(string incidentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await Table.UpsertEntityAsync(new TableEntity(Day(now), incidentId) { ["At"] = now }, TableUpdateMode.Replace, ct);
    }

    /// <summary>The incidents noted at or after <paramref name="from"/> (every incident ever noted when null), each once.</summary>
    public async Task<IReadOnlyList<string>> SinceAsync(DateTimeOffset? from, DateTimeOffset until, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (from is not { } start)
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: ct)) found.Add(row.RowKey);
            return [.. found.Order(StringComparer.Ordinal)];
        }
        for (var day = start.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Day(day)} and At ge {start}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct)) found.Add(row.RowKey);
        }
        return [.. found.Order(StringComparer.Ordinal)];
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
