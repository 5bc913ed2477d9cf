using Azure;
using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;

namespace NotifyHub.Ledger;

/// <summary>
/// One delivery's state before the events being applied and after. <see cref="BeforeKnown"/> is false when the applier
/// cannot be sure what the views hold (it is catching up, or rebuilding): then every row is written or removed outright.
/// </summary>
public sealed record DeliveryChange(DeliveryRecord? Before, DeliveryRecord After, bool BeforeKnown);

/// <summary>
/// A view made of table rows, each the pure function of one delivery's state: which deliveries it lists, under which keys,
/// with what in the row. Applying it writes the row of every delivery it should list and removes every row it should not —
/// state-based, so applying the same state twice, or late, changes nothing. Views: the inbox, the open and failed lists,
/// the deliveries awaiting judgement and the open late list.
/// </summary>
/// <param name="Owner">The delivery a stored row belongs to (incident id, recipient id), for the rebuild's sweep of rows no delivery supports.</param>
public sealed record RowView(
    string Name, string Table, Func<DeliveryRecord, bool> Lists, Func<DeliveryRecord, (string Partition, string Row)> Key,
    Func<DeliveryRecord, IncidentFacts?, IDictionary<string, object?>> Values, Func<TableEntity, (string IncidentId, string RecipientId)?> Owner,
    IReadOnlyList<string>? Partitions = null)
{
    public TableEntity Row(DeliveryRecord d, IncidentFacts? facts)
    {
        var (partition, row) = Key(d);
        var entity = new TableEntity(partition, row);
        foreach (var (name, value) in Values(d, facts))
        {
            if (value is not null) entity[name] = value;
        }
        return entity;
    }
}

/// <summary>Applies <see cref="RowView"/>s: the fewest writes that bring their rows to the deliveries' new states.</summary>
public sealed class RowViewWriter(TableServiceClient tables)
{
    public async Task ApplyAsync(RowView view, IReadOnlyList<DeliveryChange> changes, IncidentFacts? facts, CancellationToken ct)
    {
        var batched = new List<(string Partition, TableTransactionAction Action)>();
        var tolerant = new List<(string Partition, string Row)>();
        foreach (var change in changes)
        {
            var after = change.After;
            var wanted = view.Lists(after);
            var had = change.BeforeKnown && change.Before is { } b && view.Lists(b);
            if (wanted)
            {
                var row = view.Row(after, facts);
                if (change.BeforeKnown && had && SameRow(view.Row(change.Before!, facts), row)) continue;
                batched.Add((row.PartitionKey, new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            }
            else if (had)
            {
                var (p, r) = view.Key(change.Before!);
                batched.Add((p, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(p, r), ETag.All)));
            }
            else if (!change.BeforeKnown)
            {
                tolerant.Add(view.Key(after));
            }
        }
        var table = tables.GetTableClient(view.Table);
        var writes = batched.GroupBy(b => b.Partition).SelectMany(g => g.Select(b => b.Action).Chunk(100)).Select(chunk => SubmitAsync(table, chunk, ct));
        await Task.WhenAll(writes.Concat(tolerant.Select(k => DeleteIfExistsAsync(table, k.Partition, k.Row, ct))));
    }

    /// <summary>Removes one stored row (the rebuild's sweep, for a row no delivery supports).</summary>
    public Task RemoveAsync(RowView view, TableEntity row, CancellationToken ct) =>
        DeleteIfExistsAsync(tables.GetTableClient(view.Table), row.PartitionKey, row.RowKey, ct);

    /// <summary>A page of the view's stored rows, and the continuation token for the next (null after the last).</summary>
    public async Task<(IReadOnlyList<TableEntity> Rows, string? Next)> PageAsync(RowView view, string? continuation, int pageSize, CancellationToken ct)
    {
        var filter = view.Partitions is { } partitions
            ? string.Join(" or ", partitions.Select(p => TableClient.CreateQueryFilter($"PartitionKey eq {p}")))
            : null;
        await foreach (var page in tables.GetTableClient(view.Table).QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: ct)
            .AsPages(continuation, pageSize))
        {
            return (page.Values, page.ContinuationToken);
        }
        return ([], null);
    }

    private static async Task SubmitAsync(TableClient table, TableTransactionAction[] actions, CancellationToken ct)
    {
        try
        {
            if (actions.Length == 1) await SingleAsync(table, actions[0], ct);
            else await table.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException)
        {
            // A row was not as the state before said (a delete of one already gone): each on its own, a missing row being fine.
            foreach (var action in actions) await SingleAsync(table, action, ct);
        }
    }

    private static Task SingleAsync(TableClient table, TableTransactionAction action, CancellationToken ct) =>
        action.ActionType == TableTransactionActionType.Delete
            ? DeleteIfExistsAsync(table, action.Entity.PartitionKey, action.Entity.RowKey, ct)
            : table.UpsertEntityAsync((TableEntity)action.Entity, TableUpdateMode.Replace, ct);

    private static async Task DeleteIfExistsAsync(TableClient table, string partition, string row, CancellationToken ct)
    {
        try { await table.DeleteEntityAsync(partition, row, ETag.All, ct); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>Whether two rows hold the same values (what a reader of the view would see).</summary>
    public static bool SameRow(TableEntity a, TableEntity b) =>
        a.PartitionKey == b.PartitionKey && a.RowKey == b.RowKey && Values(a).SequenceEqual(Values(b));

    private static IEnumerable<(string, string)> Values(TableEntity e) =>
        e.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            .Select(p => (p.Key, p.Value switch
            {
                DateTimeOffset d => d.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DateTime d => new DateTimeOffset(d.ToUniversalTime()).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }))
            .OrderBy(p => p.Key, StringComparer.Ordinal);
}
