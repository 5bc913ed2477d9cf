using System.Globalization;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>A delivery falling due, as the due-time index lists it.</summary>
public sealed record DueEntry(string IncidentId, string RecipientId, DateTimeOffset DueAt);

/// <summary>A late share on the open late list: ids and codes only.</summary>
public sealed record LateShare(string NotificationId, string IncidentId, string RecipientId, string RecipientType, string RecipientName, string ForceCode,
    string? IncidentReference, string La, DateTimeOffset DueAt, DateTimeOffset LateAt);

/// <summary>
/// What <c>SlaMonitor</c> reads and writes. Table <c>DueIndex</c>: partition = the UTC hour a delivery falls due
/// (<c>h{yyyyMMddHH}</c>), row = <c>{due time}|{notification id}</c>, so the deliveries falling due in a window are one
/// range query per hour of the window — however many deliveries the hub has ever made — and row <c>monitor/checkpoint</c>
/// says how far the monitor has got. Table <c>LateShares</c>: partition <c>open</c>, row = notification id: every share
/// late and not yet acknowledged.
/// </summary>
public sealed class SlaStore(TableServiceClient tables)
{
    private const string CheckpointPartition = "monitor";
    private const string CheckpointRow = "checkpoint";
    private const string OpenPartition = "open";

    private TableClient Index => tables.GetTableClient(StorageNames.DueIndexTable);
    private TableClient Late => tables.GetTableClient(StorageNames.LateSharesTable);

    /// <summary>
    /// The index entry of a delivery due at <paramref name="dueAt"/>, filed under <paramref name="judgeAt"/>: its due time, or
    /// — for a share already due when it is routed (police told the hub late) — a moment after routing, so the monitor,
    /// whose checkpoint has passed the due time, still judges it on its next run.
    /// </summary>
    public static TableEntity IndexRow(string incidentId, string recipientId, DateTimeOffset dueAt, DateTimeOffset judgeAt) =>
        new(HourPartition(judgeAt), $"{Stamp(judgeAt)}|{incidentId}.{recipientId}") { ["IncidentId"] = incidentId, ["RecipientId"] = recipientId, ["DueAt"] = dueAt };

    /// <summary>When the monitor should judge a delivery due at <paramref name="dueAt"/> that is routed at <paramref name="now"/>.</summary>
    public static DateTimeOffset JudgeAt(DateTimeOffset dueAt, DateTimeOffset now) => dueAt > now + BornLateMargin ? dueAt : now + BornLateMargin;

    /// <summary>Longer than the time between the monitor reading its window and an index write landing.</summary>
    public static readonly TimeSpan BornLateMargin = TimeSpan.FromMinutes(1);

    /// <summary>Indexes deliveries by due time (idempotent: re-routing writes the same rows).</summary>
    public async Task IndexAsync(IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await Index.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
            }
        }
    }

    /// <summary>Deliveries due in [<paramref name="from"/>, <paramref name="to"/>), in due order: one range query per UTC hour.</summary>
    public async Task<IReadOnlyList<DueEntry>> DueAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var entries = new List<DueEntry>();
        for (var hour = Truncate(from); hour < to; hour = hour.AddHours(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {HourPartition(hour)} and RowKey ge {Stamp(from)} and RowKey lt {Stamp(to)}");
            await foreach (var row in Index.QueryAsync<TableEntity>(filter, select: ["IncidentId", "RecipientId", "DueAt"], cancellationToken: ct))
            {
                entries.Add(new DueEntry(row.GetString("IncidentId"), row.GetString("RecipientId"), row.GetDateTimeOffset("DueAt")!.Value));
            }
        }
        return entries;
    }

    /// <summary>How far the monitor has got, with the row's ETag (null when it has never run).</summary>
    public async Task<(DateTimeOffset? Through, ETag ETag)> CheckpointAsync(CancellationToken ct)
    {
        var row = await Index.GetEntityIfExistsAsync<TableEntity>(CheckpointPartition, CheckpointRow, cancellationToken: ct);
        return row.HasValue ? (row.Value!.GetDateTimeOffset("Through"), row.Value.ETag) : (null, default);
    }

    /// <summary>Moves the checkpoint on, conditionally: false when another run moved it first.</summary>
    public async Task<bool> AdvanceAsync(DateTimeOffset through, ETag etag, DateTimeOffset now, CancellationToken ct)
    {
        var row = new TableEntity(CheckpointPartition, CheckpointRow) { ["Through"] = through, ["RanAt"] = now };
        try
        {
            if (etag == default) await Index.AddEntityAsync(row, ct);
            else await Index.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public Task ListLateAsync(LateShare share, CancellationToken ct) =>
        Late.UpsertEntityAsync(new TableEntity(OpenPartition, share.NotificationId)
        {
            ["IncidentId"] = share.IncidentId,
            ["RecipientId"] = share.RecipientId,
            ["RecipientType"] = share.RecipientType,
            ["RecipientName"] = share.RecipientName,
            ["ForceCode"] = share.ForceCode,
            ["IncidentReference"] = share.IncidentReference,
            ["La"] = share.La,
            ["DueAt"] = share.DueAt,
            ["LateAt"] = share.LateAt,
        }, TableUpdateMode.Replace, ct);

    /// <summary>Takes an acknowledged share off the open late list (nothing when it was never on it).</summary>
    public async Task UnlistLateAsync(string notificationId, CancellationToken ct)
    {
        try
        {
            await Late.DeleteEntityAsync(OpenPartition, notificationId, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Every open late share (the list stays short: a share leaves it when acknowledged).</summary>
    public async IAsyncEnumerable<LateShare> OpenLateAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in Late.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {OpenPartition}"), cancellationToken: ct))
        {
            yield return new LateShare(row.RowKey, row.GetString("IncidentId"), row.GetString("RecipientId"), row.GetString("RecipientType"),
                row.GetString("RecipientName") ?? "", row.GetString("ForceCode") ?? "", row.GetString("IncidentReference"), row.GetString("La") ?? "",
                row.GetDateTimeOffset("DueAt")!.Value, row.GetDateTimeOffset("LateAt")!.Value);
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
    private static string HourPartition(DateTimeOffset at) => "h" + at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
}
