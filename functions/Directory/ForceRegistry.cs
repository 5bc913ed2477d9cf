using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Organisations;

/// <summary>
/// The police forces the hub knows, and which organisation holds each force code: table <c>Forces</c>,
/// partition <c>force</c>, row = force code. A code is claimed by inserting its row, so two organisations
/// can never hold one code. It is the source of truth for "every force" (reconciliation, health): a row
/// stays while the force has incidents, whether or not it still has keys or is active.
/// </summary>
public sealed class ForceRegistry(TableServiceClient tables)
{
    private const string Partition = "force";

    private TableClient Table => tables.GetTableClient(StorageNames.ForcesTable);

    /// <summary>The organisation holding <paramref name="forceCode"/>, or null when nobody does.</summary>
    public async Task<string?> OwnerAsync(string forceCode, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, forceCode, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("OrganisationId") : null;
    }

    /// <summary>Claims <paramref name="forceCode"/> for <paramref name="organisationId"/>; false when another organisation holds it.</summary>
    public async Task<bool> ClaimAsync(string forceCode, string organisationId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(Partition, forceCode) { ["OrganisationId"] = organisationId }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await OwnerAsync(forceCode, cancellationToken) == organisationId;
        }
    }

    /// <summary>Gives up <paramref name="forceCode"/> if <paramref name="organisationId"/> holds it.</summary>
    public async Task ReleaseAsync(string forceCode, string organisationId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, forceCode, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetString("OrganisationId") != organisationId) return;
        try
        {
            await Table.DeleteEntityAsync(Partition, forceCode, row.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Released or re-claimed meanwhile.
        }
    }

    /// <summary>Every force code ever claimed and not released: one partition.</summary>
    public async Task<IReadOnlyList<string>> CodesAsync(CancellationToken cancellationToken)
    {
        var codes = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            codes.Add(row.RowKey);
        }
        return codes;
    }
}
