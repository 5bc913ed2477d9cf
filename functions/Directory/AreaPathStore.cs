using Azure.Data.Tables;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Storage;

namespace NotifyHub.Organisations;

/// <summary>
/// Each LA's paths through its front door (<see cref="AreaPath"/>), in table <c>AreaPaths</c>: partition = the LA code, row =
/// the recipient type, with the relay's id and whether it is released automatically when late. A type with no row goes direct.
/// An LA's paths are replaced together, in one transaction, so routing never reads half of a change.
/// </summary>
public sealed class AreaPathStore(TableServiceClient tables, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageNames.AreaPathsTable);

    public async Task<IReadOnlyList<AreaPath>> ForLaAsync(string laCode, CancellationToken ct)
    {
        var paths = new List<AreaPath>();
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == laCode, cancellationToken: ct))
            paths.Add(new AreaPath(row.RowKey, row.GetString("Via") ?? "", row.GetBoolean("AutoReleaseWhenLate") ?? false));
        return paths;
    }

    /// <summary>
    /// Replaces LA <paramref name="laCode"/>'s paths with <paramref name="paths"/> (none: every type direct). The rows it
    /// removes are removed only as read, so a change made meanwhile by another administrator is not undone: false then, and
    /// nothing is written.
    /// </summary>
    public async Task<bool> ReplaceAsync(string laCode, IReadOnlyList<AreaPath> paths, string changedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var actions = new List<TableTransactionAction>();
        var keep = paths.Select(p => p.RecipientType).ToHashSet(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == laCode, cancellationToken: ct))
        {
            if (!keep.Contains(row.RowKey)) actions.Add(new(TableTransactionActionType.Delete, new TableEntity(laCode, row.RowKey), row.ETag));
        }
        foreach (var p in paths)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(laCode, p.RecipientType)
            {
                ["Via"] = p.Via, ["AutoReleaseWhenLate"] = p.AutoReleaseWhenLate, ["ChangedAt"] = now, ["ChangedBy"] = changedBy,
            }));
        }
        if (actions.Count == 0) return true;
        try
        {
            await Table.SubmitTransactionAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}
