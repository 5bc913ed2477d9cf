using NotifyHub.Storage;
using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations;

/// <summary>An organisation as stored, with the ETag of its row (for If-Match) and the row itself.</summary>
public sealed record StoredOrganisation(Organisation Organisation, ETag ETag, TableEntity Entity)
{
    public string? Source => Entity.GetString(OrganisationEntity.Source);
}

public enum SaveStatus { Saved, NotFound, PreconditionFailed, AlreadyExists, ForceCodeTaken, ForceCodeLocked }

public sealed record SaveResult(SaveStatus Status, StoredOrganisation? Stored = null);

public sealed record OrganisationPage(IReadOnlyList<StoredOrganisation> Items, string? ContinuationToken);

/// <summary>
/// The directory of recipients. Two tables:
/// <list type="bullet">
/// <item><c>Organisations</c>: PK = organisation id, RK = <c>profile</c>; the organisation (see <see cref="OrganisationEntity"/>).</item>
/// <item><c>DirectoryIndex</c>: PK = <c>{type}|{kind}|{value}</c>, RK = organisation id, no other columns;
/// one row per key of <see cref="DirectoryIndexKeys.Of"/>. Partition <c>repair</c> holds one marker per write in progress.</item>
/// </list>
/// The organisation row is the truth and the index a hint: <see cref="LoadAsync"/> keeps only organisations whose
/// current keys include the key asked for, so a stale index row can never route anything to the wrong place. A
/// write therefore only ever adds before it commits: it leaves a repair marker (when it will remove rows), adds the index rows of the new
/// version, writes the organisation row (ETag-conditional), then removes the rows the organisation lost, adds the
/// rows of whatever version is current by then (undoing a concurrent writer's late delete), and clears its marker.
/// A writer that loses the race, or dies at any point, leaves at worst extra rows and a marker, and
/// <see cref="RepairIndexAsync"/> (timer <c>RepairDirectoryIndex</c>) re-adds the current rows of every organisation
/// whose marker is left behind.
/// </summary>
/// <param name="routingCacheFor">
/// How long <see cref="LoadAsync"/> keeps what it read (<see cref="KeptReads"/>); zero keeps nothing. In a busy minute every
/// incident routed asks about the same local authorities and forces, and often the same schools.
/// </param>
public sealed class DirectoryStore(TableServiceClient tables, TimeProvider time, TimeSpan routingCacheFor = default)
{
    private readonly KeptReads _lookups = new(time, routingCacheFor);

    private const int IndexConcurrency = 16;

    /// <summary>Which organisation holds each police force code (unique), and the list of every force.</summary>
    public ForceRegistry Forces { get; } = new(tables);

    private TableClient Organisations => tables.GetTableClient(StorageNames.OrganisationsTable);
    private TableClient Index => tables.GetTableClient(StorageNames.DirectoryIndexTable);
    private TableClient Deliveries => tables.GetTableClient(StorageNames.RecipientDeliveriesTable);

    public static string IndexPartition(DirectoryKey key)
    {
        var k = DirectoryIndexKeys.Normalise(key);
        return $"{k.Type}|{k.Kind}|{k.Value}";
    }

    public async Task<StoredOrganisation?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Organisations.GetEntityIfExistsAsync<TableEntity>(id, OrganisationEntity.ProfileRow, cancellationToken: cancellationToken);
        return row.HasValue ? Stored(row.Value!) : null;
    }

    public async Task<Organisation?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await FindAsync(id, cancellationToken))?.Organisation;

    /// <summary>Adds a new organisation (and its index rows); <see cref="SaveStatus.AlreadyExists"/> when the id is taken.</summary>
    public async Task<SaveResult> CreateAsync(Organisation organisation, string source, CancellationToken cancellationToken)
    {
        if (await FindAsync(organisation.Id, cancellationToken) is not null) return new(SaveStatus.AlreadyExists);
        if (organisation.ForceCode is { } code && !await Forces.ClaimAsync(code, organisation.Id, cancellationToken))
            return new(SaveStatus.ForceCodeTaken);
        var entity = OrganisationEntity.ToEntity(organisation, existing: null, time.GetUtcNow());
        entity[OrganisationEntity.Source] = source;
        var result = await SaveAsync(before: null, organisation, entity, cancellationToken);
        if (result.Status != SaveStatus.Saved && organisation.ForceCode is { } claimed) await Forces.ReleaseAsync(claimed, organisation.Id, cancellationToken);
        return result;
    }

    /// <summary>
    /// Reads organisation <paramref name="id"/>, applies <paramref name="change"/> and writes the result
    /// with the row's ETag. <paramref name="ifMatch"/> (from the caller's If-Match) must be the current ETag
    /// or <c>*</c>/null; otherwise <see cref="SaveStatus.PreconditionFailed"/> and nothing is written.
    /// </summary>
    public async Task<SaveResult> UpdateAsync(
        string id, ETag? ifMatch, Func<StoredOrganisation, Organisation> change, CancellationToken cancellationToken,
        Action<TableEntity>? bookkeeping = null)
    {
        var current = await FindAsync(id, cancellationToken);
        if (current is null) return new(SaveStatus.NotFound);
        if (ifMatch is { } expected && expected != ETag.All && expected != current.ETag) return new(SaveStatus.PreconditionFailed, current);
        var after = change(current) with { Id = id };
        var (oldCode, newCode) = (current.Organisation.ForceCode, after.ForceCode);
        if (oldCode != newCode)
        {
            // A force's code partitions its incidents and is on its keys: it cannot move once either exists.
            if (oldCode is not null && await ForceInUseAsync(id, oldCode, cancellationToken)) return new(SaveStatus.ForceCodeLocked, current);
            if (newCode is not null && !await Forces.ClaimAsync(newCode, id, cancellationToken)) return new(SaveStatus.ForceCodeTaken, current);
        }
        var entity = OrganisationEntity.ToEntity(after, current.Entity, time.GetUtcNow());
        bookkeeping?.Invoke(entity);
        var result = await SaveAsync(current.Organisation, after, entity, cancellationToken);
        if (oldCode != newCode)
        {
            var release = result.Status == SaveStatus.Saved ? oldCode : newCode;
            if (release is not null) await Forces.ReleaseAsync(release, id, cancellationToken);
        }
        return result;
    }

    /// <summary>Whether force <paramref name="forceCode"/> of organisation <paramref name="id"/> has any API key or any incident.</summary>
    private async Task<bool> ForceInUseAsync(string id, string forceCode, CancellationToken cancellationToken)
    {
        var keys = tables.GetTableClient(StorageNames.ApiKeysTable)
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"OrganisationId eq {id}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken);
        await foreach (var _ in keys) return true;
        var incidents = tables.GetTableClient(StorageNames.IncidentsTable)
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {forceCode}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken);
        await foreach (var _ in incidents) return true;
        return false;
    }

    /// <summary>
    /// Writes <paramref name="entity"/> (the row of <paramref name="after"/>): insert when <paramref name="before"/>
    /// is null, else a Replace conditioned on the entity's ETag, with the index kept in line around it (see the class).
    /// </summary>
    internal Task<SaveResult> SaveAsync(Organisation? before, Organisation after, TableEntity entity, CancellationToken cancellationToken) =>
        _lookups.WritingAsync(() => WriteAsync(before, after, entity, cancellationToken));

    private async Task<SaveResult> WriteAsync(Organisation? before, Organisation after, TableEntity entity, CancellationToken cancellationToken)
    {
        var keys = IndexedKeys(after);
        var stale = before is null ? [] : IndexedKeys(before).Except(keys).ToArray();
        // Only a write that removes rows can leave a key missing (by removing it after a later writer added it back),
        // so only such a write leaves a marker and re-adds the current rows after its removals.
        string? marker = null;
        if (stale.Length > 0)
        {
            marker = $"{after.Id}|{Guid.NewGuid():N}";
            await Index.UpsertEntityAsync(new TableEntity(RepairPartition, marker) { ["OrganisationId"] = after.Id, ["At"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        }
        await ForEachAsync(keys, (key, ct) => UpsertIndexRowAsync(key, after.Id, ct), cancellationToken);
        try
        {
            Response response = before is null
                ? await Organisations.AddEntityAsync(entity, cancellationToken)
                : await Organisations.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? entity.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Someone else wrote the row since we read it. Our additions are harmless extras; nothing was removed.
            if (marker is not null) await ClearMarkerAsync(marker, cancellationToken);
            return new(e.Status == 409 ? SaveStatus.AlreadyExists : SaveStatus.PreconditionFailed, await FindAsync(after.Id, cancellationToken));
        }

        if (marker is not null)
        {
            await ForEachAsync(stale, (key, ct) => DeleteIndexRowAsync(key, after.Id, ct), cancellationToken);
            await ReindexAsync(after.Id, cancellationToken);
            await ClearMarkerAsync(marker, cancellationToken);
        }
        return new(SaveStatus.Saved, Stored(entity));
    }

    /// <summary>
    /// Re-adds the index rows of every organisation whose write left its repair marker more than
    /// <paramref name="olderThan"/> ago (a writer that died part-way), then clears the marker. Answers how many it repaired.
    /// </summary>
    public Task<int> RepairIndexAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        _lookups.WritingAsync(async () =>
        {
            var before = time.GetUtcNow() - olderThan;
            var repaired = 0;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RepairPartition} and At lt {before}");
            await foreach (var row in Index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                await ReindexAsync(row.GetString("OrganisationId"), cancellationToken);
                await ClearMarkerAsync(row.RowKey, cancellationToken);
                repaired++;
            }
            return repaired;
        });

    /// <summary>Adds the index rows of the organisation as it is stored now.</summary>
    private async Task ReindexAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } current)
            await ForEachAsync(IndexedKeys(current.Organisation), (key, ct) => UpsertIndexRowAsync(key, id, ct), cancellationToken);
    }

    private Task ClearMarkerAsync(string marker, CancellationToken cancellationToken) =>
        Index.DeleteEntityAsync(RepairPartition, marker, ETag.All, cancellationToken); // 404 is not an error for Delete

    private static DirectoryKey[] IndexedKeys(Organisation organisation) =>
        DirectoryIndexKeys.Of(organisation).Where(DirectoryIndexKeys.IsIndexed).ToArray();

    private const string RepairPartition = "repair";

    /// <summary>Organisations, optionally of one type and/or local authority, a page at a time.</summary>
    public async Task<OrganisationPage> ListAsync(string? type, string? laCode, string? tableToken, int pageSize, CancellationToken cancellationToken)
    {
        var profile = OrganisationEntity.ProfileRow;
        var filter = (type, laCode) switch
        {
            (null, null) => TableClient.CreateQueryFilter($"RowKey eq {profile}"),
            (not null, null) => TableClient.CreateQueryFilter($"RowKey eq {profile} and Type eq {type}"),
            (null, not null) => TableClient.CreateQueryFilter($"RowKey eq {profile} and LaCode eq {laCode}"),
            _ => TableClient.CreateQueryFilter($"RowKey eq {profile} and Type eq {type} and LaCode eq {laCode}"),
        };
        await foreach (var page in Organisations.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(tableToken, pageSize))
        {
            return new OrganisationPage(page.Values.Select(Stored).ToList(), ContinuationToken.Encode(page.ContinuationToken));
        }
        return new OrganisationPage([], null);
    }

    /// <summary>Active organisations whose channel is a webhook: a scan of every profile, for the daily liveness check and its admin list.</summary>
    public async IAsyncEnumerable<Organisation> WebhookRecipientsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {OrganisationEntity.ProfileRow}");
        await foreach (var row in Organisations.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var organisation = Stored(row).Organisation;
            if (organisation is { Active: true, Channel.Kind: "webhook" }) yield return organisation;
        }
    }

    /// <summary>Active partnership leads: a filtered scan of the profiles (there are few; callers cache the answer).</summary>
    public async Task<IReadOnlyList<Organisation>> PartnershipLeadsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {OrganisationEntity.ProfileRow} and Type eq {OrganisationTypes.PartnershipLead}");
        var leads = new List<Organisation>();
        await foreach (var row in Organisations.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (Stored(row).Organisation is { Active: true } lead) leads.Add(lead);
        }
        return leads;
    }

    /// <summary>
    /// The active GP practices with these ODS codes (the codes police give for an incident's children), in id order: one
    /// point read of <c>gp-{code}</c> each (<see cref="DirectoryIndexKeys.IdForOdsCode"/>), concurrently, no index. A code
    /// with no practice, an inactive one, or one that is not a GP practice code at all is skipped; repeats count once.
    /// </summary>
    public async Task<IReadOnlyList<Organisation>> GpPracticesAsync(IEnumerable<string> odsCodes, CancellationToken cancellationToken)
    {
        var ids = odsCodes
            .Where(code => !string.IsNullOrWhiteSpace(code))
            .Select(code => code.Trim().ToUpperInvariant())
            .Where(OrganisationValidator.IsGpPracticeCode)
            .Select(DirectoryIndexKeys.IdForOdsCode)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var found = new ConcurrentBag<Organisation>();
        await ForEachAsync(ids, async (id, ct) =>
        {
            if (await GetAsync(id, ct) is { Active: true, Type: OrganisationTypes.GpPractice } practice) found.Add(practice);
        }, cancellationToken);
        return [.. found.OrderBy(o => o.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every organisation whose id starts with <paramref name="idPrefix"/> (a partition range query).</summary>
    public async IAsyncEnumerable<StoredOrganisation> ScanAsync(string idPrefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var upper = idPrefix[..^1] + (char)(idPrefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {idPrefix} and PartitionKey lt {upper} and RowKey eq {OrganisationEntity.ProfileRow}");
        await foreach (var row in Organisations.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return Stored(row);
        }
    }

    /// <summary>
    /// The part of the directory that <paramref name="keys"/> reach, for one routing decision: a partition
    /// query on the index per key, then one point read per organisation found, all concurrently. Only
    /// active organisations whose current keys include the key are returned.
    /// </summary>
    public async Task<DirectorySnapshot> LoadAsync(IEnumerable<DirectoryKey> keys, CancellationToken cancellationToken)
    {
        var requested = keys.Distinct().ToArray();
        if (requested.Length == 0) return DirectorySnapshot.Empty;

        var generation = _lookups.Generation;
        var idsByKey = new ConcurrentDictionary<DirectoryKey, IReadOnlyList<string>>();
        await ForEachAsync(requested, async (key, ct) =>
        {
            if (!DirectoryIndexKeys.IsIndexed(key))
            {
                idsByKey[key] = DirectoryIndexKeys.IdForUrn(key.Type, key.Value) is { } id ? [id] : [];
                return;
            }
            var partition = IndexPartition(key);
            if (_lookups.TryGet<string[]>("index|" + partition, out var known))
            {
                idsByKey[key] = known!;
                return;
            }
            var ids = new List<string>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
            await foreach (var row in Index.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct)) ids.Add(row.RowKey);
            idsByKey[key] = ids;
            _lookups.Keep("index|" + partition, ids.ToArray(), generation);
        }, cancellationToken);

        var organisations = new ConcurrentDictionary<string, Organisation>(StringComparer.Ordinal);
        await ForEachAsync(idsByKey.Values.SelectMany(ids => ids).Distinct().ToArray(), async (id, ct) =>
        {
            if (!_lookups.TryGet<Found>("organisation|" + id, out var found))
            {
                found = new Found(await GetAsync(id, ct));
                _lookups.Keep("organisation|" + id, found, generation);
            }
            if (found!.Organisation is { Active: true } organisation) organisations[id] = organisation;
        }, cancellationToken);

        var entries = requested.ToDictionary(
            key => key,
            key =>
            {
                var normalised = DirectoryIndexKeys.Normalise(key);
                return (IReadOnlyList<Organisation>)idsByKey[key]
                    .Select(id => organisations.GetValueOrDefault(id))
                    .OfType<Organisation>()
                    .Where(o => DirectoryIndexKeys.Of(o).Contains(normalised))
                    .OrderBy(o => o.Id, StringComparer.Ordinal)
                    .ToList();
            });
        return new DirectorySnapshot(entries);
    }

    /// <summary>
    /// Whether anything was ever delivered to <paramref name="organisationId"/>: table <c>RecipientDeliveries</c>,
    /// partition = recipient id (written by routing). No table yet means no deliveries yet.
    /// </summary>
    public async Task<bool> HasDeliveriesAsync(string organisationId, CancellationToken cancellationToken)
    {
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {organisationId}");
            await foreach (var page in Deliveries.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            {
                if (page.Values.Count > 0) return true;
                if (page.ContinuationToken is null) break;
            }
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private async Task UpsertIndexRowAsync(DirectoryKey key, string id, CancellationToken cancellationToken) =>
        await Index.UpsertEntityAsync(new TableEntity(IndexPartition(key), id), TableUpdateMode.Replace, cancellationToken);

    private async Task DeleteIndexRowAsync(DirectoryKey key, string id, CancellationToken cancellationToken) =>
        await Index.DeleteEntityAsync(IndexPartition(key), id, ETag.All, cancellationToken); // 404 is not an error for Delete

    /// <summary>An organisation as read for routing, or none (kept as such too).</summary>
    private sealed record Found(Organisation? Organisation);

    private static StoredOrganisation Stored(TableEntity e) => new(OrganisationEntity.ToOrganisation(e), e.ETag, e);

    /// <summary>Runs <paramref name="body"/> for every item, at most <see cref="IndexConcurrency"/> at a time.</summary>
    private static Task ForEachAsync<T>(IReadOnlyCollection<T> items, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        items.Count switch
        {
            0 => Task.CompletedTask,
            1 => body(items.First(), cancellationToken),
            _ => Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = IndexConcurrency, CancellationToken = cancellationToken },
                async (item, ct) => await body(item, ct)),
        };
}
