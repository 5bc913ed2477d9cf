using Azure;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Incidents;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>One incident a force's daily manifest lists: its reference and local authority (and when it was reported, when given).</summary>
public sealed record ManifestEntry(string IncidentReference, string LaCode, DateTimeOffset? ReportedAt);

/// <summary>A manifest as reconciled: how many it lists, and the references the hub never received (missing at source).</summary>
public sealed record ManifestResult(string ForceCode, DateOnly Date, int Listed, int Received, IReadOnlyList<ManifestEntry> MissingAtSource, DateTimeOffset ReconciledAt);

/// <summary>
/// Police daily manifests (table <c>Manifests</c>: partition = force code, row = the manifest's date). Reconciling one
/// reads each listed reference's incident row (a point read) and records every reference the hub never received as a
/// share missing at source in the rollups — and forgets it again once the incident arrives.
/// </summary>
public sealed class ManifestStore(TableServiceClient tables, IncidentStore incidents, RollupStore rollups, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private TableClient Table => tables.GetTableClient(StorageNames.ManifestsTable);

    /// <summary>
    /// Stores a force's manifest for <paramref name="date"/> (a later one replaces it, keeping what was found missing until it
    /// is reconciled) and reconciles it. Each write is conditional on the row as read: an upload or a reconciliation that
    /// changed it meanwhile makes this one read it again.
    /// </summary>
    public async Task<ManifestResult> SaveAndReconcileAsync(string forceCode, DateOnly date, IReadOnlyList<ManifestEntry> entries, string submittedBy, CancellationToken ct)
    {
        while (true)
        {
            var previous = await Table.GetEntityIfExistsAsync<TableEntity>(forceCode, Day(date), cancellationToken: ct);
            var row = new TableEntity(forceCode, Day(date)) { ["SubmittedAt"] = time.GetUtcNow(), ["SubmittedBy"] = submittedBy, ["Listed"] = entries.Count };
            LargeBinary.Write(row, "Entries", JsonSerializer.SerializeToUtf8Bytes(entries, Json));
            if (previous.HasValue && previous.Value!.GetString("Missing") is { } missing) row["Missing"] = missing;
            try
            {
                var saved = previous.HasValue
                    ? await Table.UpdateEntityAsync(row, previous.Value!.ETag, TableUpdateMode.Replace, ct)
                    : await Table.AddEntityAsync(row, ct);
                row.ETag = saved.Headers.ETag ?? default;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                continue;
            }
            return await ReconcileAsync(row, ct);
        }
    }

    /// <summary>Reconciles again every manifest of the last <paramref name="days"/> days that still had references missing.</summary>
    public async Task<IReadOnlyList<ManifestResult>> ReconcileRecentAsync(int days, CancellationToken ct)
    {
        var since = Day(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-days));
        var results = new List<ManifestResult>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {since} and MissingCount gt 0"), cancellationToken: ct))
        {
            results.Add(await ReconcileAsync(row, ct));
        }
        return results;
    }

    /// <summary>
    /// Records in the rollups every reference <paramref name="row"/> lists that the hub never received, forgets those found
    /// since, then stores what is missing — conditional on the row as read. If an upload changed it meanwhile, it reconciles
    /// the row as it now is, forgetting also what this call recorded that the new manifest no longer lists.
    /// </summary>
    private async Task<ManifestResult> ReconcileAsync(TableEntity row, CancellationToken ct)
    {
        var forceCode = row.PartitionKey;
        var date = DateOnly.ParseExact(row.RowKey, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var recorded = new List<ManifestEntry>();
        while (true)
        {
            var entries = LargeBinary.Read(row, "Entries") is { } data ? JsonSerializer.Deserialize<List<ManifestEntry>>(data, Json) ?? [] : [];
            var missing = new List<ManifestEntry>();
            foreach (var entry in entries)
            {
                if (await incidents.GetStatusAsync(forceCode, entry.IncidentReference, ct) is null) missing.Add(entry);
            }
            var wasMissing = (row.GetString("Missing") is { } list ? JsonSerializer.Deserialize<List<ManifestEntry>>(list, Json) ?? [] : []).Concat(recorded);
            var now = time.GetUtcNow();
            await rollups.RecordAsync(missing.Select(e => Fact(forceCode, date, e)), ct);
            foreach (var gone in wasMissing.Where(w => !missing.Any(m => m.IncidentReference == w.IncidentReference && m.LaCode == w.LaCode))
                         .DistinctBy(e => (e.IncidentReference, e.LaCode))
                         .GroupBy(e => (e.LaCode, Fact(forceCode, date, e).Day)))
            {
                await rollups.ForgetAsync(gone.Key.LaCode, gone.Key.Day, gone.Select(e => Key(forceCode, e.IncidentReference)).ToList(), ct);
            }
            try
            {
                await Table.UpdateEntityAsync(new TableEntity(forceCode, row.RowKey)
                {
                    ["Missing"] = JsonSerializer.Serialize(missing, Json),
                    ["MissingCount"] = missing.Count,
                    ["ReconciledAt"] = now,
                }, row.ETag, TableUpdateMode.Merge, ct);
                return new ManifestResult(forceCode, date, entries.Count, entries.Count - missing.Count, missing, now);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                recorded.AddRange(missing);
                row = (await Table.GetEntityAsync<TableEntity>(forceCode, row.RowKey, cancellationToken: ct)).Value;
            }
        }
    }

    /// <summary>A page of manifests: the missing-at-source facts they stand for, how many manifests, and where the next page starts.</summary>
    public async Task<(IReadOnlyList<ShareFact> Facts, int Manifests, string? Next)> MissingFactsAsync(string? continuation, int pageSize, CancellationToken ct)
    {
        await foreach (var page in Table.QueryAsync<TableEntity>(maxPerPage: pageSize, cancellationToken: ct).AsPages(continuation, pageSize))
            return (page.Values.SelectMany(MissingFacts).ToList(), page.Values.Count, page.ContinuationToken);
        return ([], 0, null);
    }

    /// <summary>Whether a missing-at-source fact is still what its manifest says (the rebuild's sweep removes one that is not).</summary>
    public async Task<bool> StillMissingAsync(ShareFact fact, CancellationToken ct)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {fact.ForceCode}"), cancellationToken: ct))
        {
            if (MissingFacts(row).Any(f => f.Key == fact.Key && f.La == fact.La && f.Day == fact.Day)) return true;
        }
        return false;
    }

    /// <summary>The missing-at-source facts a stored manifest stands for (the rebuild reads them).</summary>
    public static IEnumerable<ShareFact> MissingFacts(TableEntity row)
    {
        var date = DateOnly.ParseExact(row.RowKey, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var missing = row.GetString("Missing") is { } list ? JsonSerializer.Deserialize<List<ManifestEntry>>(list, Json) ?? [] : [];
        return missing.Select(e => Fact(row.PartitionKey, date, e));
    }

    private static string Key(string forceCode, string reference) => $"m:{forceCode}:{reference}";

    /// <summary>A reference missing at source, counted on the day it was reported (the manifest's date when the manifest does not say).</summary>
    private static ShareFact Fact(string forceCode, DateOnly date, ManifestEntry e)
    {
        var reported = e.ReportedAt ?? new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        return new ShareFact(Key(forceCode, e.IncidentReference), ShareKinds.MissingAtSource, null, forceCode, e.LaCode,
            e.ReportedAt is { } at ? Domain.UkTime.DateOf(at) : date, Domain.Timeliness.ReportLabels.NotReceived, null, "unknown", reported, null, null, null, null, null, null, false,
            "listed in the force's manifest, never received by the hub");
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
