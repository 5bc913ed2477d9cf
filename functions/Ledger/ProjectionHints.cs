using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Ledger;

/// <summary>An incident whose views may lag behind its ledger, as noted before a commit (or after a failed apply).</summary>
/// <param name="Above">The ledger's version when the note was made: the views are known to be caught up once they pass it.</param>
public sealed record ProjectionHint(string IncidentId, DateTimeOffset Since, long Above, ETag ETag);

/// <summary>
/// Where <c>ProjectLedger</c> finds incidents whose views may lag (table <c>Views</c>, partition <c>lagging</c>, row = incident
/// id). A writer whose work nobody would retry if it died after its commit — an HTTP request: the caller may never ask
/// again — notes the incident here before it commits; any writer whose apply fails after its commit notes it too. (A queue
/// message or a timer window is retried by the host until it is done, and every writer first brings a lagging incident
/// up to date, so those need no note while they run.) The note goes once the incident's checkpoint has passed it.
/// The lag itself is recorded with the commit: the head's version ahead of the checkpoint, in one transaction.
/// </summary>
public sealed class ProjectionHints(TableServiceClient tables, TimeProvider time)
{
    private const string Partition = "lagging";

    /// <summary>How long a note made before a commit may wait for that commit: past it, a note whose incident is caught up goes.</summary>
    public static readonly TimeSpan CommitWindow = TimeSpan.FromMinutes(10);

    private TableClient Table => tables.GetTableClient(StorageNames.ViewsTable);

    public async Task NoteAsync(string incidentId, long above, CancellationToken ct) =>
        await Table.UpsertEntityAsync(new TableEntity(Partition, incidentId) { ["Since"] = time.GetUtcNow(), ["Above"] = above }, TableUpdateMode.Replace, ct);

    /// <summary>Notes it without letting a failure hide the one being handled (storage may be what failed).</summary>
    public async Task TryNoteAsync(string incidentId, long above)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await NoteAsync(incidentId, above, timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            // The writer's own retry (its message, its timer window) still brings the views up to date.
        }
    }

    public async IAsyncEnumerable<ProjectionHint> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: ct))
        {
            yield return new ProjectionHint(row.RowKey, row.GetDateTimeOffset("Since") ?? default, row.GetInt64("Above") ?? 0, row.ETag);
        }
    }

    /// <summary>Removes the note unless it was made again since it was read.</summary>
    public async Task ClearAsync(ProjectionHint hint, CancellationToken ct)
    {
        try { await Table.DeleteEntityAsync(Partition, hint.IncidentId, hint.ETag, ct); }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { }
    }

    /// <summary>How many incidents are noted, and since when the oldest (counting stops at <paramref name="limit"/>).</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> LagAsync(int limit, CancellationToken ct)
    {
        var (count, oldest) = (0, (DateTimeOffset?)null);
        await foreach (var hint in ListAsync(ct))
        {
            if (oldest is null || hint.Since < oldest) oldest = hint.Since;
            if (++count >= limit) break;
        }
        return (count, oldest);
    }
}
